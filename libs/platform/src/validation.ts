import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/**
 * Constraints that say what kind of value is expected. When one of them fails, range and length
 * messages of the same field are beside the point ("pageSize=abc" is not an integer, not "out of range").
 */
const TYPE_CONSTRAINTS = [
  'isDefined',
  'whitelistValidation',
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isArray',
  'isDateString',
  'isObject',
  'nestedValidation',
];

function messagesOf(e: ValidationError): string[] {
  const constraints = e.constraints ?? {};
  const type = TYPE_CONSTRAINTS.find((name) => constraints[name] !== undefined);
  if (type) return [constraints[type]];
  // Otherwise the first failing constraint in declaration order (class-validator lists them last-declared first).
  const all = Object.values(constraints);
  return all.length > 0 ? [all[all.length - 1]] : [];
}

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = messagesOf(e).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Query strings longer than this are validated every time rather than remembered. */
const MEMO_KEY_MAX = 512;

/**
 * Query strings repeat (page 3 of the home page, a product's default fields), and running
 * class-transformer + class-validator over the same flat query was the largest single cost of a
 * cached home page. A query that passed is remembered per DTO class (bounded LRU) and each request
 * gets its own shallow copy of the validated DTO; refusals, bodies and params are validated every time.
 */
export class MemoizingValidationPipe extends ValidationPipe {
  private readonly passed = new WeakMap<object, LRUCache<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'query' ? metadata.metatype : undefined;
    if (!dto || typeof value !== 'object' || value === null || !this.toValidate(metadata)) return super.transform(value, metadata);
    const key = JSON.stringify(value);
    if (key.length > MEMO_KEY_MAX) return super.transform(value, metadata);
    let memo = this.passed.get(dto);
    const hit = memo?.get(key);
    if (hit) return copyOf(hit);
    const result = (await super.transform(value, metadata)) as object;
    if (!memo) this.passed.set(dto, (memo = new LRUCache<string, object>({ max: 1000 })));
    memo.set(key, copyOf(result));
    return result;
  }
}

/** A shallow copy with the same prototype: the DTO class instance a handler expects, its own per request. */
function copyOf(dto: object): object {
  return Object.assign(Object.create(Object.getPrototypeOf(dto) as object) as object, dto);
}

/** Whitelisting pipe: unknown fields, wrong types and out-of-range values are a 400 that names the field. */
export function createValidationPipe(): ValidationPipe {
  return new MemoizingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Every constraint of a field is evaluated so the message can name the real problem (see messagesOf).
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return new BadRequestException({ detail: list.map((e) => e.message).join('; '), errors: list });
    },
  });
}
