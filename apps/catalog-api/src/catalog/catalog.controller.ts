import { Controller, Get, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogService } from './catalog.service';
import { parseIds, parseInteger, parsePaging } from './catalog-query.parser';
import type { CatalogBrand, CatalogItem, CatalogType, PaginatedItems } from './catalog-item.model';
import { colourForId, solidPng } from '../pictures/png.encoder';

type Query = Record<string, string | string[] | undefined>;

// Host header values we are willing to echo back inside pictureUri.
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

@Controller('api/v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  /** `?ids=` answers a plain array (any existing ids); otherwise a page of every item. */
  @Get('items')
  items(@Query() query: Query, @Req() req: FastifyRequest): PaginatedItems<CatalogItem> | CatalogItem[] {
    if (query.ids !== undefined) return this.catalog.byIds(parseIds(query.ids), this.base(req));
    return this.catalog.page(parsePaging(query), {}, this.base(req));
  }

  @Get('items/type/all/brand/:brandId')
  byBrand(@Param('brandId') brandId: string, @Query() query: Query, @Req() req: FastifyRequest): PaginatedItems<CatalogItem> {
    const filter = { brandId: parseInteger(brandId, 'brandId') };
    return this.catalog.page(parsePaging(query), filter, this.base(req));
  }

  @Get('items/type/:typeId/brand/:brandId')
  byTypeAndBrand(
    @Param('typeId') typeId: string,
    @Param('brandId') brandId: string,
    @Query() query: Query,
    @Req() req: FastifyRequest,
  ): PaginatedItems<CatalogItem> {
    const filter = { typeId: parseInteger(typeId, 'typeId'), brandId: parseInteger(brandId, 'brandId') };
    return this.catalog.page(parsePaging(query), filter, this.base(req));
  }

  @Get('items/withname/:name')
  withName(@Param('name') name: string, @Query() query: Query, @Req() req: FastifyRequest): PaginatedItems<CatalogItem> {
    return this.catalog.page(parsePaging(query), { namePrefix: name }, this.base(req));
  }

  @Get('items/:id')
  item(@Param('id') id: string, @Req() req: FastifyRequest): CatalogItem {
    const itemId = parseInteger(id, 'id');
    const item = this.catalog.find(itemId, this.base(req));
    if (!item) throw new NotFoundException(`Catalog item ${itemId} does not exist`);
    return item;
  }

  @Get('items/:id/pic')
  picture(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const itemId = parseInteger(id, 'id');
    if (!this.catalog.exists(itemId)) throw new NotFoundException(`Catalog item ${itemId} does not exist`);
    reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400');
    return solidPng(8, 8, colourForId(itemId));
  }

  @Get('catalogtypes')
  types(): CatalogType[] {
    return this.catalog.types();
  }

  @Get('catalogbrands')
  brands(): CatalogBrand[] {
    return this.catalog.brands();
  }

  private base(req: FastifyRequest): string {
    const host = req.headers.host;
    return this.catalog.pictureBase(`http://${host && SAFE_HOST.test(host) ? host : 'localhost'}`);
  }
}
