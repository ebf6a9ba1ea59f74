/**
 * Writes a BFF's OpenAPI document, built from its controllers and DTO classes exactly as the running
 * BFF serves it at /docs-json (default configuration), without starting it or calling any downstream.
 * Run through ts-node by scripts/sdk.mjs: `openapi-document.ts <web-bff|mobile-bff> <out.json>`.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadBffConfig, type BffConfig, type BffName } from '@app/config';
import { openApiDocument } from '@app/platform';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';

const FACTORIES: Record<BffName, (config: BffConfig) => Promise<NestFastifyApplication>> = {
  'web-bff': createWebBff,
  'mobile-bff': createMobileBff,
};

async function main(): Promise<void> {
  const [name, out] = process.argv.slice(2) as [BffName, string];
  if (!FACTORIES[name] || !out) throw new Error('usage: openapi-document.ts <web-bff|mobile-bff> <out.json>');
  // Only the defaults: the document must not depend on the environment it is generated in.
  const app = await FACTORIES[name](loadBffConfig(name, { LOG_LEVEL: 'silent' }));
  await app.init();
  writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
