import { ValidationPipe } from '@nestjs/common';

/**
 * Bodies are checked against their DTO class: unknown properties are dropped (a caller may send
 * extra fields), wrong shapes answer 400. Values are not echoed back in the error detail.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
}
