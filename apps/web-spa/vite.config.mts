import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built into the repo's dist/ beside the other apps; scripts/spa-server.js serves it.
export default defineConfig({
  root: here,
  publicDir: false,
  // `npx vite apps/web-spa` (dev server) on web-bff's default CORS origin; without /config.json the
  // SPA falls back to the sample ports.
  server: { port: 3000, strictPort: true },
  build: {
    outDir: resolve(here, '../../dist/apps/web-spa'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
