import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';

const MAX_OFFSET = 1_000_000;

/**
 * Opaque, tamper-evident paging cursors: base64url of the position plus an HMAC that also covers the
 * list kind and the query it belongs to. A forged, edited or foreign cursor (or one replayed with other
 * filters) fails the MAC and is a 400. Replicas must share the key (CURSOR_SECRET).
 */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  encode(kind: string, scope: string, offset: number): string {
    const body = Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
    return `${body}.${this.mac(kind, scope, body)}`;
  }

  /** The offset a cursor stands for; 0 when there is none. Throws 400 for anything this BFF did not issue. */
  decode(cursor: string | undefined, kind: string, scope: string): number {
    if (cursor === undefined || cursor === '') return 0;
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined || !this.sameMac(mac, this.mac(kind, scope, body))) throw invalid();
    let offset: unknown;
    try {
      offset = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { o?: unknown }).o;
    } catch {
      throw invalid();
    }
    if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) > MAX_OFFSET) throw invalid();
    return offset as number;
  }

  private mac(kind: string, scope: string, body: string): string {
    return createHmac('sha256', this.key).update(`${kind}\n${scope}\n${body}`).digest('base64url').slice(0, 22);
  }

  private sameMac(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }
}

function invalid(): BadRequestException {
  return new BadRequestException({
    detail: 'cursor is not one this service issued for this query',
    errors: [{ field: 'cursor', message: 'cursor is not valid for this query' }],
  });
}
