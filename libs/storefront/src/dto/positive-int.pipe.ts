import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/** Path ids are positive 32-bit integers; anything else is a 400 that names the parameter. */
@Injectable()
export class PositiveIntPipe implements PipeTransform<string, number> {
  transform(value: string, meta: ArgumentMetadata): number {
    const n = Number(value);
    if (!POSITIVE_INT.test(value) || n > 2_147_483_647) {
      const field = meta.data ?? 'id';
      throw new BadRequestException({
        detail: `${field} must be a positive integer`,
        errors: [{ field, message: `${field} must be a positive integer` }],
      });
    }
    return n;
  }
}

/** Documents a path id that PositiveIntPipe checks. */
export const ApiPositiveIntParam = (name: string): MethodDecorator =>
  ApiParam({ name, required: true, schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } });
