import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsInt, IsString, Length, Matches, Min } from 'class-validator';
import type { CheckoutFields } from '../checkout.service';

/** The address and card fields of BasketCheckout; the buyer comes from the token, never the body. */
export class CheckoutDto implements CheckoutFields {
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) city: string;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) street: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) state: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) country: string;
  @ApiProperty({ minLength: 1, maxLength: 20 }) @IsString() @Length(1, 20) zipCode: string;
  @ApiProperty({ pattern: '^[0-9 ]{12,23}$', description: '12 to 19 digits, spaces allowed' })
  @IsString()
  @Matches(/^[0-9 ]{12,23}$/, { message: 'cardNumber must be 12 to 19 digits' })
  cardNumber: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) cardHolderName: string;
  @ApiProperty({ format: 'date', description: 'ISO date, e.g. 2030-12-31' })
  @IsDateString({}, { message: 'cardExpiration must be an ISO date' })
  cardExpiration: string;
  @ApiProperty({ pattern: '^[0-9]{3,4}$' })
  @IsString()
  @Matches(/^[0-9]{3,4}$/, { message: 'cardSecurityNumber must be 3 or 4 digits' })
  cardSecurityNumber: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'An id of GET /api/orders/cardtypes' })
  @IsInt({ message: 'cardTypeId must be an integer' })
  @Min(1)
  cardTypeId: number;
}
