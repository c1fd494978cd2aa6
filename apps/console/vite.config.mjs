// The console's Vite configuration, used by scripts/build.js (production build into dist/apps/console)
// and by `npm run console:dev` (dev server proxying /api to a running hub, default http://localhost:3000).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..', '..');

export default {
  root: here,
  base: '/',
  logLevel: 'warn',
  // libs/domain is plain TypeScript: the console shares its identity-number rule instead of copying it.
  resolve: { alias: [{ find: /^@verihub\/domain\/(.*)$/, replacement: resolve(root, 'libs/domain/src/$1') }] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(root, 'dist/apps/console'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd's modules start with "use client" (React Server Components); meaningless in a browser bundle
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': process.env.VERIHUB_API_URL ?? 'http://localhost:3000' } },
};
