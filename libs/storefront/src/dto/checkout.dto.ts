import { IsDateString, IsInt, IsString, Length, Matches, Min } from 'class-validator';
import type { CheckoutFields } from '../checkout.service';

/** The address and card fields of BasketCheckout; the buyer comes from the token, never the body. */
export class CheckoutDto implements CheckoutFields {
  @IsString() @Length(1, 100) city: string;
  @IsString() @Length(1, 200) street: string;
  @IsString() @Length(1, 100) state: string;
  @IsString() @Length(1, 100) country: string;
  @IsString() @Length(1, 20) zipCode: string;
  @IsString() @Matches(/^[0-9 ]{12,23}$/, { message: 'cardNumber must be 12 to 19 digits' }) cardNumber: string;
  @IsString() @Length(1, 100) cardHolderName: string;
  @IsDateString({}, { message: 'cardExpiration must be an ISO date' }) cardExpiration: string;
  @IsString() @Matches(/^[0-9]{3,4}$/, { message: 'cardSecurityNumber must be 3 or 4 digits' }) cardSecurityNumber: string;
  @IsInt({ message: 'cardTypeId must be an integer' }) @Min(1) cardTypeId: number;
}
