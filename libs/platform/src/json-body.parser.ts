import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether a JSON text nests objects/arrays deeper than `max` (`{"a":1}` is depth 1). One linear pass
 * over the characters, brackets inside strings ignored; malformed text is left to the parser.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), behind a nesting limit: a body
 * thousands of levels deep would otherwise overflow the stack in class-transformer/class-validator
 * (a 500). Refused before parsing, so no deep object is ever built.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, maxDepth: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  const tooDeep = `The request body nests objects or arrays deeper than ${maxDepth} levels (JSON_MAX_DEPTH)`;
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonDeeperThan(body as string, maxDepth)) return done(new BadRequestException({ detail: tooDeep }), undefined);
    parse(req, body as string, done);
  });
}
