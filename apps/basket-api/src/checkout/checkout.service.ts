import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BASKET_STORE, type BasketStore } from '../basket/basket.store';
import { CHECKOUT_LEDGER, checkoutClaimTtlMs, type CheckoutClaim, type CheckoutLedger } from './checkout-ledger';
import type { BasketCheckoutDto } from '@app/sample-kit';
import { ORDERING_CLIENT_OPTIONS, OrderingClient, type OrderingClientOptions, type RelayedHeaders } from './ordering.client';

/** How often a duplicate asks again while another replica's attempt holds the key. */
const CLAIM_POLL_MS = 50;

/**
 * Checkout = one order in ordering-api, then an empty basket. Exactly-once per (buyer,
 * x-requestid): a finished key is answered from the ledger, a concurrent duplicate waits for the
 * first attempt (here, or on another replica through a shared ledger), and ordering-api itself
 * deduplicates on the same key if the ledger forgot.
 */
@Injectable()
export class CheckoutService {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** A duplicate waits at most one claim's lifetime: by then the first attempt has ended or lapsed. */
  private readonly claimWaitMs: number;

  constructor(
    @Inject(BASKET_STORE) private readonly baskets: BasketStore,
    @Inject(CHECKOUT_LEDGER) private readonly ledger: CheckoutLedger,
    private readonly ordering: OrderingClient,
    @Inject(ORDERING_CLIENT_OPTIONS) orderingOptions: OrderingClientOptions,
  ) {
    this.claimWaitMs = checkoutClaimTtlMs(orderingOptions.timeoutMs);
  }

  async checkout(buyerId: string, checkout: BasketCheckoutDto, relayed: RelayedHeaders): Promise<void> {
    const key = `${buyerId}\n${relayed.requestId}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const attempt = this.run(key, buyerId, checkout, relayed).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async run(key: string, buyerId: string, checkout: BasketCheckoutDto, relayed: RelayedHeaders): Promise<void> {
    const claim = await this.claim(key);
    if (!claim) return;
    try {
      const basket = await this.baskets.get(buyerId);
      if (!basket || basket.items.length === 0) throw new BadRequestException('The basket is empty');
      await this.ordering.createOrderFromCheckout({ requestId: relayed.requestId, buyerId, checkout, items: basket.items }, relayed);
    } catch (err) {
      // No order: a retry may try again. If even releasing fails, the claim lapses on its own.
      await claim.release().catch(() => undefined);
      throw err;
    }
    // Recorded before the basket is emptied, so a retry in between still answers 202, not "empty".
    await claim.complete();
    await this.baskets.delete(buyerId);
  }

  /** This attempt's claim on the key, or undefined when the key's order already exists. */
  private async claim(key: string): Promise<CheckoutClaim | undefined> {
    const deadline = Date.now() + this.claimWaitMs;
    for (;;) {
      const claim = await this.ledger.claim(key);
      if (claim === 'done') return undefined;
      if (claim !== 'busy') return claim;
      if (Date.now() >= deadline) throw new ConflictException('A checkout with this x-requestid is still in progress');
      await sleep(CLAIM_POLL_MS);
    }
  }
}
