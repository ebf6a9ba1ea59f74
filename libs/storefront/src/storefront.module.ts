import { Module } from '@nestjs/common';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { CursorCodec } from './cursor.codec';
import { BasketService } from './basket.service';
import { CatalogQueries } from './catalog-queries';
import { CheckoutController } from './checkout.controller';
import { CheckoutService } from './checkout.service';
import { PictureController } from './picture.controller';

/**
 * The use-cases both BFFs compose from (each BFF only shapes their results for its client), and the
 * routes that are identical for every client: the picture stream and checkout.
 */
@Module({
  controllers: [PictureController, CheckoutController],
  providers: [
    BasketService,
    CatalogQueries,
    CheckoutService,
    { provide: CursorCodec, inject: [BFF_CONFIG], useFactory: (config: BffConfig) => new CursorCodec(config.cursorSecret) },
  ],
  exports: [BasketService, CatalogQueries, CheckoutService, CursorCodec],
})
export class StorefrontModule {}
