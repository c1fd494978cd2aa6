/**
 * The dependency rule of style.md, enforced in `npm test`:
 *   apps/* -> libs/{messaging,persistence,contracts,adapter-sdk,exchange} -> libs/domain
 * Apps never import each other, except apps/hub: it is the single-process composition root, which
 * starts every app's bootstrap function in one process (as immich's workers run in one process).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports are fixed at the module boundary, not with forwardRef.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-plain-typescript',
      severity: 'error',
      comment: 'libs/domain holds the rules: no NestJS, TypeORM, Kafka, or other libs inside.',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: ['^libs/domain/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      comment: 'Only the hub (composition root) may start other apps, through their *.app.ts bootstrap.',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/hub/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'hub-imports-only-bootstraps',
      severity: 'error',
      from: { path: '^apps/hub/' },
      to: { path: '^apps/(?!hub/)[^/]+/', pathNot: '\\.app\\.ts$' },
    },
    {
      name: 'contracts-only-generated-and-registry',
      severity: 'error',
      comment: 'libs/contracts is the schema registry: besides itself it knows only the domain (for mappings).',
      from: { path: '^libs/contracts/' },
      to: { path: '^libs/(?!contracts/|domain/)' },
    },
    {
      name: 'messaging-knows-no-persistence',
      severity: 'error',
      from: { path: '^libs/messaging/' },
      to: { path: '^libs/(persistence|adapter-sdk|exchange)/' },
    },
    {
      name: 'console-imports-only-domain',
      severity: 'error',
      comment: 'The web console talks to the public API only; of our code it may share libs/domain rules (plain TS).',
      from: { path: '^apps/console/' },
      to: { path: '^(apps/(?!console/)|libs/(?!domain/))' },
    },
    {
      name: 'no-kafka-outside-messaging',
      severity: 'error',
      comment: 'kafkajs is unmaintained: only libs/messaging touches it, so the client can be swapped.',
      from: { pathNot: '^libs/messaging/' },
      to: { path: 'node_modules/kafkajs/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts$|-spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
