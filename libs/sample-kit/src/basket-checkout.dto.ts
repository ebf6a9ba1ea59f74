import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { BasketCheckout } from '@app/contracts';

/**
 * CONTRACTS.md §1 BasketCheckout. `state` and `zipCode` may be empty (not every country has
 * them); `buyer` is informative only (so optional here), since the buyer is always the token's subject.
 */
export class BasketCheckoutDto implements Omit<BasketCheckout, 'buyer'> {
  @IsString() @IsNotEmpty() @MaxLength(200) city: string;
  @IsString() @IsNotEmpty() @MaxLength(200) street: string;
  @IsString() @MaxLength(200) state: string;
  @IsString() @IsNotEmpty() @MaxLength(200) country: string;
  @IsString() @MaxLength(50) zipCode: string;
  @IsString() @IsNotEmpty() @MaxLength(50) cardNumber: string;
  @IsString() @IsNotEmpty() @MaxLength(200) cardHolderName: string;
  @IsISO8601() cardExpiration: string;
  @IsString() @IsNotEmpty() @MaxLength(10) cardSecurityNumber: string;
  @IsInt() cardTypeId: number;
  @IsOptional() @IsString() @MaxLength(200) buyer?: string;
}
