import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CatalogClient, discardBody } from '@app/downstream';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@app/platform';
import { ApiPositiveIntParam, PositiveIntPipe } from './dto/positive-int.pipe';

const IMAGE_TYPES = new Set(['image/png', 'image/webp', 'image/jpeg']);

/** Streams a product picture from the catalog without buffering it; the only route clients use for images. */
@ApiTags('products')
@Controller('api/products')
export class PictureController {
  constructor(private readonly catalog: CatalogClient) {}

  @Get(':id/picture')
  @ApiOperation({ summary: 'The product’s picture, streamed from the catalog (public, max-age=86400)' })
  @ApiPositiveIntParam('id')
  @ApiProduces(...IMAGE_TYPES, 'application/octet-stream')
  @ApiResponse({
    status: 200,
    description: 'The picture; application/octet-stream when the catalog named no image type',
    content: Object.fromEntries(
      [...IMAGE_TYPES, 'application/octet-stream'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiProblems({ 404: 'There is no picture for this product' })
  async picture(@Param('id', PositiveIntPipe) id: number, @Res() reply: FastifyReply): Promise<void> {
    const pic = await this.catalog.picture(id);
    if (pic.status === 404) {
      discardBody(pic.body);
      throw new NotFoundException({ detail: `There is no picture for product ${id}` });
    }
    const type = pic.contentType?.split(';')[0].trim().toLowerCase();
    reply
      .header('content-type', type && IMAGE_TYPES.has(type) ? type : 'application/octet-stream')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff');
    if (pic.contentLength) reply.header('content-length', pic.contentLength);
    await reply.send(pic.body);
  }
}
