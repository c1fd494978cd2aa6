// Shared by every jest tier: SWC transpiles TypeScript with decorator metadata (NestJS DI needs it),
// and the @verihub/* path aliases of tsconfig.json resolve to the libs' sources.
const libs = ['domain', 'contracts', 'messaging', 'persistence', 'adapter-sdk', 'exchange'];
const moduleNameMapper = {};
for (const lib of libs) {
  moduleNameMapper[`^@verihub/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  moduleNameMapper[`^@verihub/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};
module.exports = { moduleNameMapper, transform };
