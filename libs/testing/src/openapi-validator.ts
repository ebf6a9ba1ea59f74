import http from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { hasOpenApi, openApiDocument } from '@app/platform';

/**
 * Checks answers against a BFF's served OpenAPI document, so the document cannot drift from the code:
 * the status must be documented for the operation, required headers present, the media type one of
 * those documented, and a JSON body valid against its schema — strictly: an object may not carry
 * properties the schema does not declare (unless it says `additionalProperties`).
 */

type Json = Record<string, any>;

/** One answer as a client saw it. */
export interface ObservedAnswer {
  method: string;
  /** Path and query, e.g. `/api/products?pageSize=2`. */
  target: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  /** The decoded body ('' when none; undefined when the client did not read it: status and headers are checked). */
  body: string | undefined;
}

const SCHEMA_ROOT = 'openapi';

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable`, local refs, closed objects. */
function toJsonSchema(schema: unknown, sparse: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, sparse));
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Json;
  if (typeof s.$ref === 'string') return { $ref: s.$ref.replace(/^#\//, `${SCHEMA_ROOT}${sparse ? '-sparse' : ''}#/`) };
  const out: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === 'example' || key === 'examples' || key === 'nullable' || key.startsWith('x-')) continue;
    if (key === 'properties')
      out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v, sparse)]));
    else if (key === 'required' && sparse) continue;
    else out[key] = toJsonSchema(value, sparse);
  }
  if (s.properties && s.additionalProperties === undefined) out.additionalProperties = false;
  if (s.nullable === true) {
    if (typeof out.type === 'string' && !out.allOf) out.type = [out.type, 'null'];
    else {
      delete out.type;
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

interface Operation {
  template: string;
  regex: RegExp;
  params: number;
  methods: Json;
}

export class OpenApiAnswerValidator {
  private readonly ajv: Ajv;
  private readonly operations: Operation[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    for (const sparse of [false, true]) {
      this.ajv.addSchema({
        $id: `${SCHEMA_ROOT}${sparse ? '-sparse' : ''}`,
        components: { schemas: toJsonSchema(document.components?.schemas ?? {}, sparse) },
      });
    }
    this.operations = Object.entries(document.paths as Json)
      .map(([template, methods]) => ({
        template,
        methods: methods as Json,
        params: (template.match(/\{/g) ?? []).length,
        regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      }))
      // Static paths win over templated ones (`/api/orders/cardtypes` before `/api/orders/{orderNumber}`).
      .sort((a, b) => a.params - b.params);
    // Compiled up front, so checking an answer during a test costs little time on the test's clock.
    for (const op of this.operations) {
      for (const operation of Object.values(op.methods)) {
        for (let response of Object.values((operation as Json).responses ?? {}) as Json[]) {
          if (response.$ref) response = this.resolve(response.$ref);
          for (const media of Object.values((response.content ?? {}) as Json)) if (media.schema) this.compile(media.schema, false);
        }
      }
    }
  }

  /** What is wrong with the answer (empty when it matches the document). */
  check(answer: ObservedAnswer): string[] {
    const [rawPath, query = ''] = answer.target.split('?');
    const path = safeDecodePath(rawPath);
    const method = answer.method.toLowerCase() === 'head' ? 'get' : answer.method.toLowerCase();
    const at = `${answer.method} ${answer.target} → ${answer.status}`;
    const matches = this.operations.filter((o) => o.regex.test(path));
    const op = matches.find((o) => o.methods[method])?.methods[method] as Json | undefined;
    if (!op) {
      // CORS preflights are answered by the CORS layer, not by an operation.
      if (method === 'options' && answer.status < 400) return [];
      // Not an operation (unknown path, wrong method, docs): only the error format is checked.
      if (answer.status >= 400) return this.checkProblemBody(answer, at);
      if (matches.length === 0) return [];
      return [`${at}: ${answer.method} is not documented for ${matches[0].template}`];
    }
    const responses = op.responses as Json;
    let response = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? responses.default;
    if (!response)
      return [
        `${at}: status ${answer.status} is not documented for ${answer.method} ${matches[0].template} (documented: ${Object.keys(responses).join(', ')})`,
      ];
    if (response.$ref) response = this.resolve(response.$ref);
    const problems: string[] = [];
    for (const [name, spec] of Object.entries((response.headers ?? {}) as Json)) {
      if (spec.required && answer.headers[name.toLowerCase()] === undefined) problems.push(`${at}: required header ${name} is missing`);
    }
    if (answer.status === 304 || answer.status === 204 || answer.method.toUpperCase() === 'HEAD') {
      if (answer.body && answer.method.toUpperCase() !== 'HEAD') problems.push(`${at}: a ${answer.status} must have no body`);
      return problems;
    }
    const content = response.content as Json | undefined;
    if (!content) return problems; // relayed unchanged and not described (gateway passthrough)
    const type = (answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const media = content[type] as Json | undefined;
    if (!media) return [...problems, `${at}: content-type "${type}" is not documented (documented: ${Object.keys(content).join(', ')})`];
    if (answer.body !== undefined && (type === 'application/json' || type.endsWith('+json'))) {
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [...problems, `${at}: the body is not JSON`];
      }
      const sparse = op['x-sparse-fieldsets'] === true && new URLSearchParams(query).has('fields');
      problems.push(...this.validate(media.schema, body, sparse, at));
    }
    return problems;
  }

  private checkProblemBody(answer: ObservedAnswer, at: string): string[] {
    const type = (answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/problem+json') return [`${at}: an error answer must be application/problem+json (got "${type}")`];
    if (answer.method === 'HEAD' || answer.body === undefined) return [];
    try {
      return this.validate({ $ref: '#/components/schemas/Problem' }, JSON.parse(answer.body), false, at);
    } catch {
      return [`${at}: the problem body is not JSON`];
    }
  }

  private compile(schema: unknown, sparse: boolean): ValidateFunction {
    const key = sparse ? `sparse:${JSON.stringify(schema)}` : JSON.stringify(schema);
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(toJsonSchema(schema, sparse) as Json);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private validate(schema: unknown, body: unknown, sparse: boolean, at: string): string[] {
    const fn = this.compile(schema, sparse);
    if (fn(body)) return [];
    return (fn.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${at}: body${e.instancePath || ''} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      );
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json>((node, part) => node?.[part], this.document);
  }
}

function safeDecodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
      return gunzipSync(body);
    case 'br':
      return brotliDecompressSync(body);
    case 'deflate':
      return inflateSync(body);
    default:
      return body;
  }
}

// ---- the e2e hook: every answer a suite receives from a BFF it started is checked ----

const watched = new Map<string, { app: NestFastifyApplication; validator?: OpenApiAnswerValidator }>();
/** Answers are checked when the test ends (takeAnswerViolations), not on the clock of timed requests. */
const received: Array<{ validator: OpenApiAnswerValidator; answer: ObservedAnswer }> = [];
const violations: string[] = [];

/** Registers a BFF listening at `url` (called by `listen`); apps not built by createBffApp are ignored. */
export function watchAnswers(url: string, app: NestFastifyApplication): void {
  if (hasOpenApi(app))
    watched.set(new URL(url).origin, { app, validator: new OpenApiAnswerValidator(openApiDocument(app) as unknown as Json) });
}

export function unwatchAnswers(url: string): void {
  watched.delete(new URL(url).origin);
}

function validatorFor(origin: string): OpenApiAnswerValidator | undefined {
  const entry = watched.get(origin);
  if (!entry) return undefined;
  entry.validator ??= new OpenApiAnswerValidator(openApiDocument(entry.app) as unknown as Json);
  return entry.validator;
}

/** Queues one answer of a watched BFF; `body` as received (decoded here when Content-Encoding says so), undefined when unread. */
export function recordAnswer(
  url: string,
  method: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer | undefined,
  decoded = false,
): void {
  const parsed = new URL(url);
  const validator = validatorFor(parsed.origin);
  if (!validator) return;
  const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
  let text: string | undefined;
  try {
    text = body === undefined ? undefined : (decoded ? body : decode(body, flat['content-encoding'])).toString('utf8');
  } catch {
    violations.push(`${method} ${parsed.pathname}: the body does not decode as ${flat['content-encoding']}`);
    return;
  }
  received.push({
    validator,
    answer: { method: method.toUpperCase(), target: parsed.pathname + parsed.search, status, headers: flat, body: text },
  });
}

const HOOKED = Symbol.for('bff.answer-validation');

/**
 * node:http clients (the suites' raw helpers): the answer is observed through the events the caller's
 * own reading emits, so observing changes nothing; a body the caller never reads to the end is not checked.
 */
interface HttpSink {
  watches(origin: string): boolean;
  record: typeof recordAnswer;
}

function hookNodeHttp(): void {
  // node:http is one module for every test file of the jest process (unlike globals and this module),
  // so it is wrapped once and reports to the sink of the test file that installed last.
  const mod = http as typeof http & { [HOOKED]?: HttpSink };
  const sink: HttpSink = { watches: (origin) => watched.has(origin), record: recordAnswer };
  if (mod[HOOKED]) {
    Object.assign(mod[HOOKED], sink);
    return;
  }
  mod[HOOKED] = sink;
  const current = mod[HOOKED];
  const original = mod.request;
  const wrapped = function (this: unknown, ...args: Parameters<typeof http.request>) {
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    req.prependListener('response', (res: http.IncomingMessage) => {
      const origin = `http://${String(req.getHeader('host') ?? '')}`;
      if (!current.watches(origin)) return;
      // Watches the events the caller's reading produces, without reading itself.
      const chunks: Buffer[] = [];
      const emit = res.emit.bind(res);
      res.emit = ((event: string | symbol, ...rest: unknown[]) => {
        if (event === 'data') chunks.push(Buffer.from(rest[0] as Buffer));
        else if (event === 'end')
          current.record(`${origin}${req.path}`, req.method, res.statusCode ?? 0, res.headers, Buffer.concat(chunks));
        return emit(event, ...rest);
      }) as typeof res.emit;
    });
    return req;
  } as typeof http.request;
  mod.request = wrapped;
  mod.get = function (this: unknown, ...args: Parameters<typeof http.get>) {
    const req = (wrapped as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    req.end();
    return req;
  } as typeof http.get;
}

/**
 * fetch: the body is observed when the test reads it (text/json/arrayBuffer/blob/bytes on the Response
 * it got), never by a second reader, so streams, resets and unread bodies behave exactly as without
 * the check. An answer whose body the test does not read is checked for status and headers only.
 */
function hookFetch(): void {
  // Each test file has its own globals (and its own copy of this module): fetch is wrapped per file.
  const original = globalThis.fetch as typeof fetch & { [HOOKED]?: true };
  if (original[HOOKED]) return;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const res = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return res;
    }
    if (!watched.has(origin)) return res;
    const seen = {
      url,
      method,
      status: res.status,
      headers: Object.fromEntries(res.headers.entries()),
      body: undefined as Buffer | undefined,
    };
    unread.add(seen);
    const readBytes = res.arrayBuffer.bind(res);
    const bytes = async (): Promise<ArrayBuffer> => {
      const body = await readBytes();
      seen.body = Buffer.from(body);
      return body;
    };
    Object.assign(res, {
      arrayBuffer: bytes,
      bytes: async () => new Uint8Array(await bytes()),
      text: async () => Buffer.from(await bytes()).toString('utf8'),
      json: async () => JSON.parse(Buffer.from(await bytes()).toString('utf8')),
      blob: async () => new Blob([await bytes()], { type: res.headers.get('content-type') ?? '' }),
    });
    return res;
  };
  globalThis.fetch = Object.assign(wrapped, { [HOOKED]: true as const });
}

/** fetch answers seen this test; checked (with the body when the test read it) at the end of the test. */
const unread = new Set<{ url: string; method: string; status: number; headers: Record<string, string>; body: Buffer | undefined }>();

/** Hooks global fetch and node:http once: answers from watched BFFs are checked when each test ends. */
export function installAnswerValidation(): void {
  hookNodeHttp();
  hookFetch();
}

/** Violations seen since the last call (the answers of the test that just ended). */
export async function takeAnswerViolations(): Promise<string[]> {
  for (const seen of unread) recordAnswer(seen.url, seen.method, seen.status, seen.headers, seen.body, true);
  unread.clear();
  for (const { validator, answer } of received.splice(0, received.length)) violations.push(...validator.check(answer));
  return violations.splice(0, violations.length);
}
