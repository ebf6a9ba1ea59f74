import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

const out = resolve(here, '../../dist/apps/web-spa');

// Built into the repo's dist/ like the other apps: the bundle in dist/apps/web-spa/public, and the
// static server that serves it as dist/apps/web-spa/main.js.
export default defineConfig({
  root: here,
  publicDir: false,
  plugins: [
    {
      name: 'spa-server',
      apply: 'build',
      closeBundle: () => copyFileSync(resolve(here, 'server/spa-server.js'), resolve(out, 'main.js')),
    },
  ],
  // `npx vite apps/web-spa` (dev server) on web-bff's default CORS origin; without /config.json the
  // SPA falls back to the sample ports.
  server: { port: 3000, strictPort: true },
  build: {
    outDir: resolve(out, 'public'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
