import { BadRequestException, Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, Auth, currentBuyerId, RateLimitClass } from '@app/platform';
import { CheckoutService } from './checkout.service';
import { CheckoutAccepted } from './dto/answers.dto';
import { CheckoutDto } from './dto/checkout.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** POST /api/checkout is the same for every client: one order per Idempotency-Key. */
@ApiTags('checkout')
@Controller('api/checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @HttpCode(202)
  @Auth('required')
  @RateLimitClass('checkout')
  @ApiOperation({ summary: 'Places the basket as an order, at the prices the basket shows; one order per Idempotency-Key' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'A UUID chosen by the client per order: sending the same key again answers 202 again and places no second order',
    schema: { type: 'string', format: 'uuid' },
  })
  @ApiAnswer(CheckoutAccepted, { status: 202, description: 'Accepted: the order is being placed' })
  @ApiProblems({ 400: 'The Idempotency-Key header is missing or not a UUID, or a body field is invalid', 422: 'The basket is empty' })
  place(@Headers('idempotency-key') key: string | undefined, @Body() body: CheckoutDto): Promise<CheckoutAccepted> {
    if (!key || !UUID.test(key)) {
      throw new BadRequestException({
        detail: 'The Idempotency-Key header must be a UUID',
        errors: [{ field: 'Idempotency-Key', message: 'required, a UUID' }],
      });
    }
    return this.checkout.checkout(currentBuyerId(), key.toLowerCase(), body);
  }
}
