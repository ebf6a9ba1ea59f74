import { BadRequestException, Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { BasketCheckoutDto, BearerAuthGuard, CurrentPrincipal } from '@app/sample-kit';
import { CheckoutService } from './checkout.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
// An x-request-id we relay for correlation must be harmless in a header and in logs.
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

@Controller('api/v1/basket')
@UseGuards(BearerAuthGuard)
export class CheckoutController {
  constructor(private readonly checkouts: CheckoutService) {}

  /** 202 once the order exists in ordering-api and the basket is emptied; the same x-requestid twice orders once. */
  @Post('checkout')
  @HttpCode(202)
  async checkout(
    @CurrentPrincipal() user: Principal,
    @Body() body: BasketCheckoutDto,
    @Headers('x-requestid') requestId: string | undefined,
    @Headers('authorization') authorization: string,
    @Headers('x-request-id') correlationId: string | undefined,
  ): Promise<void> {
    if (typeof requestId !== 'string' || !UUID.test(requestId) || requestId === NIL_UUID) {
      throw new BadRequestException('The x-requestid header must be a UUID');
    }
    await this.checkouts.checkout(user.sub, body, {
      authorization,
      requestId: requestId.toLowerCase(),
      correlationId: correlationId && SAFE_CORRELATION_ID.test(correlationId) ? correlationId : undefined,
    });
  }
}
