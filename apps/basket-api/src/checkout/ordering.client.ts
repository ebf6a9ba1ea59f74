import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { request } from 'undici';
import type { BasketItem } from '@app/contracts';
import type { BasketCheckoutDto } from '@app/sample-kit';

export const ORDERING_CLIENT_OPTIONS = Symbol('ORDERING_CLIENT_OPTIONS');

export const DEFAULT_ORDERING_TIMEOUT_MS = 5000;

export interface OrderingClientOptions {
  /** Base URL of ordering-api, e.g. http://localhost:5102. */
  baseUrl: string;
  /** Limit on the whole call, connect to last byte. */
  timeoutMs: number;
}

export interface OrderFromCheckout {
  requestId: string;
  buyerId: string;
  checkout: BasketCheckoutDto;
  items: BasketItem[];
}

export interface RelayedHeaders {
  /** The caller's Authorization header, unchanged: the order is created as the user, not as us. */
  authorization: string;
  requestId: string;
  /** The caller's x-request-id, for log correlation across services. */
  correlationId?: string;
}

/** HTTP client for ordering-api's internal checkout route. Ordering's answer body is never passed on. */
@Injectable()
export class OrderingClient {
  constructor(@Inject(ORDERING_CLIENT_OPTIONS) private readonly options: OrderingClientOptions) {}

  async createOrderFromCheckout(payload: OrderFromCheckout, relayed: RelayedHeaders): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: relayed.authorization,
      'x-requestid': relayed.requestId,
    };
    if (relayed.correlationId) headers['x-request-id'] = relayed.correlationId;

    let statusCode: number;
    try {
      const res = await request(`${this.options.baseUrl}/api/v1/orders/internal/from-checkout`, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      statusCode = res.statusCode;
      await res.body.dump(); // free the connection; the order itself is not needed here
    } catch (err) {
      const name = (err as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new GatewayTimeoutException('The ordering service did not answer in time');
      throw new BadGatewayException('The ordering service could not be reached');
    }
    if (statusCode >= 200 && statusCode < 300) return;
    // The same token was just accepted here; ordering refusing it means it expired in between.
    if (statusCode === 401) throw new UnauthorizedException('The token was rejected by the ordering service');
    throw new BadGatewayException(`The ordering service refused the order (status ${statusCode})`);
  }
}
