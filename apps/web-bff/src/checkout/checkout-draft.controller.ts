import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, Auth, currentBuyerId } from '@app/platform';
import { CheckoutDraft, CheckoutService } from '@app/storefront';

/** The SPA's order review page; POST /api/checkout itself is shared by both BFFs. */
@ApiTags('checkout')
@Controller('api/checkout')
@Auth('required')
export class CheckoutDraftController {
  constructor(private readonly checkout: CheckoutService) {}

  @Get('draft')
  @ApiOperation({ summary: 'The order as it would be placed now, at the catalog’s current prices (the figures GET /api/basket shows)' })
  @ApiAnswer(CheckoutDraft)
  @ApiProblems({ 422: 'The basket is empty' })
  draft(): Promise<CheckoutDraft> {
    return this.checkout.draft(currentBuyerId());
  }
}
