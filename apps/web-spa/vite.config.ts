import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Built into the repo's dist/ beside the other apps; scripts/spa-server.js serves it.
export default defineConfig({
  root: __dirname,
  publicDir: false,
  build: {
    outDir: resolve(__dirname, '../../dist/apps/web-spa'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
