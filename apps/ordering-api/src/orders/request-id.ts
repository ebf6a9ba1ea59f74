import { BadRequestException } from '@nestjs/common';

/** The `x-requestid` idempotency key: required, one value, printable, at most 100 characters. */
export function requireRequestId(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || !/^[\x21-\x7E]{1,100}$/.test(value)) {
    throw new BadRequestException('The x-requestid header is required (an idempotency key such as a UUID)');
  }
  return value;
}
