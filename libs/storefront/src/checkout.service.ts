import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { aggregate, required } from '@app/aggregate';
import { BasketClient, OrderingClient, type BasketCheckout } from '@app/downstream';
import type { CheckoutDraft } from './dto/answers.dto';
import { BasketService } from './basket.service';
import { IdempotencyStore } from './idempotency.store';
import { money, pictureLink } from './picture-link';

export type CheckoutFields = Omit<BasketCheckout, 'buyer'>;

const EMPTY_BASKET = 'The basket is empty';

/** Checkout use-cases of both BFFs. */
@Injectable()
export class CheckoutService {
  private readonly done = new IdempotencyStore<{ requestId: string }>();

  constructor(
    private readonly baskets: BasketClient,
    private readonly ordering: OrderingClient,
    private readonly pricing: BasketService,
  ) {}

  async draft(buyerId: string): Promise<CheckoutDraft> {
    const basket = await this.pricing.atCurrentPrices(buyerId, false);
    if (basket.items.length === 0) throw new UnprocessableEntityException({ detail: EMPTY_BASKET });
    const { values } = await aggregate({ draft: required(() => this.ordering.draft(buyerId, basket.items)) });
    return {
      items: values.draft.orderItems.map((i) => ({
        productId: i.productId,
        productName: i.productName,
        unitPrice: i.unitPrice,
        units: i.units,
        pictureUri: pictureLink(i.productId),
      })),
      total: money(values.draft.total),
    };
  }

  /**
   * Places the order once per (buyer, key): the key is relayed as `x-requestid`, which the basket
   * service dedupes on. An empty basket may mean the order was placed already — a replay after a
   * BFF timeout, or through another replica, which this process' memory knows nothing of — so the
   * checkout is forwarded with the same key anyway and the service's answer decides: 202 for a key
   * it has seen, 422 only when it refuses (a fresh key on an empty basket).
   */
  checkout(buyerId: string, idempotencyKey: string, fields: CheckoutFields): Promise<{ requestId: string }> {
    return this.done.once(`${buyerId}\n${idempotencyKey}`, async () => {
      const basket = await this.pricing.atCurrentPrices(buyerId, true);
      const { values } = await aggregate({
        checkout: required(() => this.baskets.checkout({ ...fields, buyer: buyerId }, idempotencyKey)),
      });
      if (values.checkout === 'refused') {
        if (basket.items.length === 0) throw new UnprocessableEntityException({ detail: EMPTY_BASKET });
        throw new UnprocessableEntityException({ detail: 'The basket service refused the checkout' });
      }
      return { requestId: idempotencyKey };
    });
  }
}
