import { UnprocessableEntityException, NotFoundException } from '@nestjs/common';
import { asRequest, clientsFor, DOUBLE_ITEMS, sendJson, startContractDouble, type TestServer } from '@app/testing';
import { BasketService } from './basket.service';

describe('BasketService', () => {
  let double: TestServer;
  let clients: ReturnType<typeof clientsFor>;
  let service: BasketService;
  const as = <T>(sub: string, fn: () => Promise<T>) => asRequest(fn, { sub });

  beforeAll(async () => {
    // Plenty in stock, so quantities and the 99-unit cap are what is tested here (stock: storefront-correctness e2e).
    const stocked = DOUBLE_ITEMS.map((i) => ({ ...i, availableStock: 500 }));
    double = await startContractDouble({
      fault: (path, res) => {
        const one = path.match(/^\/api\/v1\/catalog\/items\/(\d+)$/);
        if (one) {
          const item = stocked.find((i) => i.id === Number(one[1]));
          return item ? (sendJson(res, 200, item), true) : false;
        }
        // `?ids=` reads get every item (the service looks up the ids it asked for); this spec reads no pages.
        if (path === '/api/v1/catalog/items') return (sendJson(res, 200, stocked), true);
        return false;
      },
    });
    clients = clientsFor(double.url);
    service = new BasketService(clients.baskets, clients.catalog);
  });
  afterAll(async () => {
    await clients.close();
    await double.close();
  });

  it('adds at the catalog price, increments the same product, and never exceeds 99 on a line', async () => {
    let b = await as('u1', () => service.addItem('u1', 3, 2));
    expect(b.lines.map((l) => [l.line.productId, l.line.quantity, l.line.unitPrice])).toEqual([[3, 2, 13]]);
    b = await as('u1', () => service.addItem('u1', 3, 97));
    expect(b.itemCount).toBe(99);
    await expect(as('u1', () => service.addItem('u1', 3, 1))).rejects.toBeInstanceOf(UnprocessableEntityException);
    await expect(as('u1', () => service.addItem('u1', 777, 1))).rejects.toBeInstanceOf(UnprocessableEntityException);
    expect((await as('u1', () => service.load('u1'))).itemCount).toBe(99);
  });

  it('updates quantities all-or-nothing, removes at 0, and 404s an unknown line on delete', async () => {
    const b = await as('u2', async () => {
      await service.addItem('u2', 1, 1);
      return service.addItem('u2', 2, 1);
    });
    const [first, second] = b.lines.map((l) => l.line.id);
    await expect(
      as('u2', () =>
        service.updateQuantities('u2', [
          { basketItemId: first, quantity: 5 },
          { basketItemId: 'ghost', quantity: 1 },
        ]),
      ),
    ).rejects.toMatchObject({ response: { detail: expect.stringMatching(/ghost/) } });
    expect((await as('u2', () => service.load('u2'))).itemCount).toBe(2);
    const updated = await as('u2', () =>
      service.updateQuantities('u2', [
        { basketItemId: first, quantity: 5 },
        { basketItemId: second, quantity: 0 },
      ]),
    );
    expect(updated.lines.map((l) => [l.line.id, l.line.quantity])).toEqual([[first, 5]]);
    await expect(as('u2', () => service.removeLine('u2', second))).rejects.toBeInstanceOf(NotFoundException);
    expect((await as('u2', () => service.removeLine('u2', first))).lines).toEqual([]);
  });
});
