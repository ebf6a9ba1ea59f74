import { DynamicModule, Module } from '@nestjs/common';
import { CatalogController } from './catalog/catalog.controller';
import { CATALOG_OPTIONS, CatalogService, type CatalogServiceOptions } from './catalog/catalog.service';

@Module({})
export class CatalogModule {
  static forRoot(options: CatalogServiceOptions): DynamicModule {
    return {
      module: CatalogModule,
      controllers: [CatalogController],
      providers: [{ provide: CATALOG_OPTIONS, useValue: options }, CatalogService],
    };
  }
}
