import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

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

/** Whitelisting pipe: unknown fields, wrong types and out-of-range values are a 400 that names the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
