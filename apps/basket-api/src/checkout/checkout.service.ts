import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { BASKET_STORE, type BasketStore } from '../basket/basket.store';
import { CHECKOUT_LEDGER, type CheckoutLedger } from './checkout-ledger';
import type { BasketCheckoutDto } from '@app/sample-kit';
import { OrderingClient, type RelayedHeaders } from './ordering.client';

/**
 * Checkout = one order in ordering-api, then an empty basket. Exactly-once per (buyer,
 * x-requestid): a finished key is answered from the ledger, a concurrent duplicate waits for the
 * first attempt, and ordering-api itself deduplicates on the same key if this process forgot.
 */
@Injectable()
export class CheckoutService {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    @Inject(BASKET_STORE) private readonly baskets: BasketStore,
    @Inject(CHECKOUT_LEDGER) private readonly ledger: CheckoutLedger,
    private readonly ordering: OrderingClient,
  ) {}

  async checkout(buyerId: string, checkout: BasketCheckoutDto, relayed: RelayedHeaders): Promise<void> {
    const key = `${buyerId}\n${relayed.requestId}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const attempt = this.run(key, buyerId, checkout, relayed).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async run(key: string, buyerId: string, checkout: BasketCheckoutDto, relayed: RelayedHeaders): Promise<void> {
    if (await this.ledger.has(key)) return;
    const basket = await this.baskets.get(buyerId);
    if (!basket || basket.items.length === 0) throw new BadRequestException('The basket is empty');

    await this.ordering.createOrderFromCheckout({ requestId: relayed.requestId, buyerId, checkout, items: basket.items }, relayed);
    // Recorded before the basket is emptied, so a retry in between still answers 202, not "empty".
    await this.ledger.add(key);
    await this.baskets.delete(buyerId);
  }
}
