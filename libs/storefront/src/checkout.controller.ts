import { BadRequestException, Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { Auth, currentBuyerId, RateLimitClass } from '@app/platform';
import { CheckoutService } from './checkout.service';
import { CheckoutDto } from './dto/checkout.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** POST /api/checkout is the same for every client: one order per Idempotency-Key. */
@Controller('api/checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @HttpCode(202)
  @Auth('required')
  @RateLimitClass('checkout')
  place(@Headers('idempotency-key') key: string | undefined, @Body() body: CheckoutDto): Promise<{ requestId: string }> {
    if (!key || !UUID.test(key)) {
      throw new BadRequestException({
        detail: 'The Idempotency-Key header must be a UUID',
        errors: [{ field: 'Idempotency-Key', message: 'required, a UUID' }],
      });
    }
    return this.checkout.checkout(currentBuyerId(), key.toLowerCase(), body);
  }
}
