import 'reflect-metadata';
import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { createValidationPipe } from './validation';

class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  pageIndex?: number;
}

const query: ArgumentMetadata = { type: 'query', metatype: PageQuery, data: undefined };

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  afterEach(() => jest.restoreAllMocks());

  it('validates a repeated query once, and gives every request its own DTO', async () => {
    const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
    const a = (await pipe.transform({ pageIndex: '3' }, query)) as PageQuery;
    const b = (await pipe.transform({ pageIndex: '3' }, query)) as PageQuery;
    expect(validate).toHaveBeenCalledTimes(1);
    expect(a).toBeInstanceOf(PageQuery);
    expect(b).toBeInstanceOf(PageQuery);
    expect(b).toEqual({ pageIndex: 3 });
    a.pageIndex = 99;
    expect(((await pipe.transform({ pageIndex: '3' }, query)) as PageQuery).pageIndex).toBe(3);
  });

  it('refuses a bad query every time, naming the field', async () => {
    for (let i = 0; i < 2; i++) {
      const err = (await pipe.transform({ pageIndex: 'abc' }, query).catch((e: unknown) => e)) as BadRequestException;
      expect(err).toBeInstanceOf(BadRequestException);
      expect(JSON.stringify(err.getResponse())).toContain('pageIndex');
    }
    await expect(pipe.transform({ pageIndex: '3', extra: '1' }, query)).rejects.toBeInstanceOf(BadRequestException);
  });

  it('validates bodies every time', async () => {
    const validate = jest.spyOn(ValidationPipe.prototype, 'transform');
    const body: ArgumentMetadata = { type: 'body', metatype: PageQuery, data: undefined };
    await pipe.transform({ pageIndex: 1 }, body);
    await pipe.transform({ pageIndex: 1 }, body);
    expect(validate).toHaveBeenCalledTimes(2);
  });
});
