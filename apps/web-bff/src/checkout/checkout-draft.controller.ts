import { Controller, Get } from '@nestjs/common';
import { Auth, currentBuyerId } from '@app/platform';
import { CheckoutService, type CheckoutDraft } from '@app/storefront';

/** The SPA's order review page; POST /api/checkout itself is shared by both BFFs. */
@Controller('api/checkout')
@Auth('required')
export class CheckoutDraftController {
  constructor(private readonly checkout: CheckoutService) {}

  @Get('draft')
  draft(): Promise<CheckoutDraft> {
    return this.checkout.draft(currentBuyerId());
  }
}
