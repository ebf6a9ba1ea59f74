import type { Page, Request } from 'playwright-core';
import { DEMO_USERS } from '../apps/identity-api/src/identity.app';
import { launchChromium, startShopStack, type ShopStack } from './web-spa-stack';

const ALICE = DEMO_USERS[0];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const money = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''));

/**
 * The storefront SPA in headless Chromium against the real system: identity (password grant), catalog,
 * basket, ordering, web-bff, and the built SPA served by its static server (apps/web-spa/server).
 */
describe('web-spa in a real browser', () => {
  let stack: ShopStack;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  /** Problems the page itself reports (script errors, CSP or CORS refusals, failed loads). */
  let pageErrors: string[];
  let apiRequests: Request[];
  let allRequests: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startShopStack();
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  beforeEach(async () => {
    page = await browser.context.newPage();
    page.setDefaultTimeout(8_000);
    pageErrors = [];
    apiRequests = [];
    allRequests = [];
    page.on('request', (r) => allRequests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    // Error answers the test provokes (4xx/5xx) are logged by Chromium too; those are not page problems.
    page.on(
      'console',
      (m) =>
        m.type() === 'error' && !/^Failed to load resource: the server responded/.test(m.text()) && pageErrors.push(`console: ${m.text()}`),
    );
    page.on('request', (r) => r.url().startsWith(stack.bff.url) && apiRequests.push(r));
    page.on('dialog', (d) => void d.accept());
  });
  afterEach(() => page?.close());

  const signIn = async (username: string, password: string) => {
    await page.getByTestId('signin-page').waitFor();
    await page.getByTestId('signin-username').fill(username);
    await page.getByTestId('signin-password').fill(password);
    await page.getByTestId('signin-submit').click();
  };
  const text = (testid: string) => page.getByTestId(testid).first().textContent();

  it('a shopper browses, signs in, fills and edits the basket, buys once, and cancels the order', async () => {
    await page.goto(stack.spa);

    // Home: one catalog page with filters and paging; pictures load cross-origin from web-bff.
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('product-card').count()).toBe(12);
    expect(await text('page-info')).toMatch(/^Page 1 of \d+$/);
    const firstPicture = page.getByTestId('product-picture').first();
    await firstPicture.scrollIntoViewIfNeeded();
    // decode() rejects for a picture the browser refused (CORP/CORS) or could not load.
    expect(
      await firstPicture.evaluate((img: { decode(): Promise<void>; naturalWidth: number }) => img.decode().then(() => img.naturalWidth)),
    ).toBeGreaterThan(0);

    const firstOnPage1 = await text('product-name');
    await page.getByTestId('page-next').click();
    await page
      .getByTestId('page-info')
      .filter({ hasText: /^Page 2 of/ })
      .waitFor();
    expect(page.url()).toContain('pageIndex=1');
    expect(await text('product-name')).not.toBe(firstOnPage1);

    await page.getByTestId('brand-filter').selectOption({ label: '.NET' });
    await page.waitForURL(/brandId=\d+/);
    await page
      .getByTestId('page-info')
      .filter({ hasText: /^Page 1 of/ })
      .waitFor();
    const brandCount = money(await text('result-count'));
    expect(brandCount).toBeGreaterThan(0);
    for (const card of await page.getByTestId('product-card').all()) expect(await card.textContent()).toContain('.NET');

    await page.getByTestId('type-filter').selectOption({ label: 'Mug' });
    await page.waitForURL(/typeId=\d+/);
    await page
      .getByTestId('result-count')
      .filter({ hasNotText: `${brandCount} products` })
      .waitFor();
    expect(money(await text('result-count'))).toBeLessThan(brandCount);
    for (const card of await page.getByTestId('product-card').all()) expect(await card.textContent()).toMatch(/\.NET · Mug/);

    // Product detail; adding needs a shopper, so the SPA asks to sign in and comes back.
    const mugName = await text('product-name');
    await page.getByTestId('product-link').first().click();
    await page.getByTestId('product-detail').waitFor();
    expect(await text('product-title')).toBe(mugName);
    const mugPath = new URL(page.url()).pathname;
    await page.getByTestId('add-to-basket').click();

    await signIn('alice', 'wrong password');
    expect(await page.getByTestId('banner-error').textContent()).toBe('Wrong user name or password.');
    await signIn('alice', ALICE.password);
    await page.waitForURL((u) => u.pathname === mugPath);
    expect(await text('shopper-name')).toBe(ALICE.name);

    await page.getByTestId('add-quantity').fill('2');
    await page.getByTestId('add-to-basket').click();
    await page.getByTestId('notice').waitFor();
    expect(await text('basket-quantity')).toBe('In your basket: 2');
    expect(await text('basket-count')).toBe('2');

    // A second product, straight from the catalog's first page.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-page').waitFor();
    await page.getByTestId('product-card').filter({ hasNotText: mugName! }).first().getByTestId('product-link').click();
    await page.getByTestId('product-detail').waitFor();
    const secondName = await text('product-title');
    const secondId = Number(await page.getByTestId('product-detail').getAttribute('data-product-id'));
    await page.getByTestId('add-to-basket').click();
    await page.getByTestId('basket-count').filter({ hasText: /^3$/ }).waitFor();

    // Behind the SPA's back, the stored price of the second line goes stale (as when the catalog
    // changes a price after the shopper added the item): the basket must say so.
    const token = await stack.token('alice');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const stored = (await (await fetch(`${stack.basket.url}/api/v1/basket/${ALICE.sub}`, { headers: auth })).json()) as {
      buyerId: string;
      items: Array<{ productId: number; unitPrice: number; oldUnitPrice: number }>;
    };
    const stale = stored.items.find((i) => i.productId === secondId)!;
    const catalogPrice = stale.unitPrice;
    stale.unitPrice = stale.oldUnitPrice = catalogPrice + 1;
    expect((await fetch(`${stack.basket.url}/api/v1/basket`, { method: 'POST', headers: auth, body: JSON.stringify(stored) })).status).toBe(
      200,
    );

    // Basket: price changed shown, quantity changed, a line removed (PUT and DELETE pass CORS).
    await page.getByTestId('nav-basket').click();
    await page.getByTestId('basket-page').waitFor();
    expect(await page.getByTestId('basket-line').count()).toBe(2);
    const secondLine = page.getByTestId('basket-line').filter({ hasText: secondName! });
    const mugLine = page.getByTestId('basket-line').filter({ hasText: mugName! });
    expect(await secondLine.getByTestId('line-price-changed').textContent()).toMatch(
      new RegExp(`^Price changed: was \\$${(catalogPrice + 1).toFixed(2)}, now \\$${catalogPrice.toFixed(2)}$`),
    );
    expect(await mugLine.getByTestId('line-price-changed').count()).toBe(0);

    await mugLine.getByTestId('line-quantity').fill('3');
    await mugLine.getByTestId('line-quantity').press('Enter');
    await page.getByTestId('basket-count').filter({ hasText: /^4$/ }).waitFor();
    await secondLine.getByTestId('line-remove').click();
    await page.getByTestId('basket-count').filter({ hasText: /^3$/ }).waitFor();
    expect(await page.getByTestId('basket-line').count()).toBe(1);
    const mugUnit = money(await mugLine.getByTestId('line-unit-price').textContent());
    const basketTotal = money(await text('basket-total'));
    expect(basketTotal).toBeCloseTo(mugUnit * 3, 2);

    // Checkout: the draft shows what the basket showed; a bad card number is explained in plain
    // words and places nothing; the corrected form places exactly one order.
    await page.getByTestId('checkout-link').click();
    await page.getByTestId('checkout-page').waitFor();
    expect(await page.getByTestId('draft-line').count()).toBe(1);
    expect(money(await text('draft-total'))).toBeCloseTo(basketTotal, 2);
    const form: Record<string, string> = {
      street: '15703 NE 61st Ct',
      city: 'Redmond',
      state: 'WA',
      zipCode: '98052',
      country: 'U.S.',
      cardHolderName: 'Alice Smith',
      cardNumber: '123',
      cardSecurityNumber: '123',
      cardExpiration: '2030-12',
    };
    for (const [name, value] of Object.entries(form)) await page.getByTestId(`field-${name}`).fill(value);
    await page.getByTestId('field-cardTypeId').selectOption({ label: 'Visa' });
    await page.getByTestId('checkout-submit').click();
    expect(await page.getByTestId('banner-error').textContent()).toBe('Please check your entry: cardNumber must be 12 to 19 digits.');

    await page.getByTestId('field-cardNumber').fill('4012 8888 8888 1881');
    await page.getByTestId('checkout-submit').dblclick();
    await page.getByTestId('orders-page').waitFor();
    const checkouts = apiRequests.filter((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/checkout');
    expect(checkouts).toHaveLength(2); // the refused one and the accepted one
    const keys = checkouts.map((r) => r.headers()['idempotency-key']);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toMatch(UUID);
    expect(keys[1]).not.toBe(keys[0]);
    expect(await page.getByTestId('notice').textContent()).toMatch(/order has been placed/);
    expect(await text('basket-count')).toBe('0');

    // Orders: the one order, its detail, and cancelling it.
    expect(await page.getByTestId('order-row').count()).toBe(1);
    expect(await text('order-row-status')).toBe('submitted');
    await page.getByTestId('order-link').click();
    await page.getByTestId('order-detail').waitFor();
    expect(await text('order-status')).toBe('submitted');
    expect(await page.getByTestId('order-line').count()).toBe(1);
    expect(money(await text('order-total'))).toBeCloseTo(basketTotal, 2);
    expect(await text('order-address')).toContain('Redmond');
    await page.getByTestId('order-cancel').click();
    await page
      .getByTestId('order-status')
      .filter({ hasText: /^cancelled$/ })
      .waitFor();
    expect(await page.getByTestId('order-cancel').isHidden()).toBe(true);
    await page.getByTestId('back-to-orders').click();
    await page
      .getByTestId('order-row-status')
      .filter({ hasText: /^cancelled$/ })
      .waitFor();

    // The SPA talked only to itself, web-bff and the identity service, and the browser refused nothing.
    const origins = new Set(allRequests.map((u) => new URL(u).origin));
    expect([...origins].sort()).toEqual([stack.bff.url, stack.identity.url, stack.spa].sort());
    expect(pageErrors).toEqual([]);
  }, 50_000);

  it('with the basket service stopped, home still renders and a banner says the basket is missing', async () => {
    await page.goto(`${stack.spa}/sign-in`);
    await signIn('bob', 'Pass123$');
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('banner-degraded').count()).toBe(0);

    await stack.basket.close();
    await page.getByTestId('nav-orders').click(); // elsewhere and back: home is fetched again
    await page.getByTestId('orders-page').waitFor();
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('product-card').count()).toBe(12);
    const banner = page.getByTestId('banner-degraded');
    expect(await banner.getAttribute('data-part')).toBe('basket');
    expect(await banner.textContent()).toMatch(/basket could not be loaded/);

    // The basket page itself cannot work: the error is in plain words, not a status code or JSON.
    await page.getByTestId('nav-basket').click();
    const error = page.getByTestId('banner-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Part of the shop is not answering right now, so loading your basket did not work/);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
