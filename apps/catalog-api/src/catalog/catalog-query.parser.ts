import { BadRequestException } from '@nestjs/common';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

export interface Paging {
  pageIndex: number;
  pageSize: number;
}

type QueryValue = string | string[] | undefined;

const INTEGER = /^-?\d{1,15}$/;

/** An integer path or query value, or 400 (a repeated query key is also a 400). */
export function parseInteger(value: QueryValue, name: string): number {
  if (typeof value !== 'string' || !INTEGER.test(value.trim())) {
    throw new BadRequestException(`${name} must be an integer`);
  }
  return Number(value.trim());
}

export function parsePaging(query: Record<string, QueryValue>): Paging {
  const pageIndex = query.pageIndex === undefined ? 0 : parseInteger(query.pageIndex, 'pageIndex');
  const pageSize = query.pageSize === undefined ? DEFAULT_PAGE_SIZE : parseInteger(query.pageSize, 'pageSize');
  if (pageIndex < 0) throw new BadRequestException('pageIndex must not be negative');
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new BadRequestException(`pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { pageIndex, pageSize };
}

/** `ids=1,2,3`: empty entries are ignored, anything else that is not an integer is a 400. */
export function parseIds(value: QueryValue): number[] {
  if (typeof value !== 'string') throw new BadRequestException('ids must be a comma-separated list of integers');
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseInteger(part, 'every id in ids'));
}
