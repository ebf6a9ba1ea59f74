/**
 * PROVISIONAL — hand-typed from CONTRACTS.md §3 in openapi-typescript's output layout, until the
 * generated file (openapi-typescript over web-bff's /docs-json) replaces it.
 */

export interface paths {
  '/api/home': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getHome'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/products': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['listProducts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/products/{id}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getProduct'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/products/{id}/picture': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getProductPicture'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/basket': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getBasket'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/basket/items': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put: operations['updateBasketItems'];
    post: operations['addBasketItem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/basket/items/{basketItemId}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['removeBasketItem'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/checkout/draft': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getCheckoutDraft'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/checkout': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: operations['checkout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['listOrders'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{orderNumber}': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: operations['getOrder'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/orders/{orderNumber}/cancel': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: operations['cancelOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description application/problem+json (RFC 9457); `errors` on 400 validation failures. */
    Problem: {
      type: string;
      title: string;
      status: number;
      detail?: string;
      instance: string;
      requestId: string;
      errors?: { field: string; message: string }[];
    };
    WebProduct: {
      id: number;
      name: string;
      description: string;
      price: number;
      pictureUri: string;
      brand: string | null;
      type: string | null;
      availableStock: number;
    };
    NamedRef: { id: number; name: string };
    WebCatalogPage: {
      pageIndex: number;
      pageSize: number;
      count: number;
      items: components['schemas']['WebProduct'][];
    };
    WebHome: {
      catalog: components['schemas']['WebCatalogPage'];
      brands: components['schemas']['NamedRef'][] | null;
      types: components['schemas']['NamedRef'][] | null;
      basket: { itemCount: number; total: number } | null;
      degraded: string[];
    };
    WebProductPage: components['schemas']['WebCatalogPage'] & { degraded: string[] };
    WebProductDetail: {
      product: components['schemas']['WebProduct'];
      basketQuantity: number | null;
      degraded: string[];
    };
    WebBasketItem: {
      id: string;
      productId: number;
      productName: string;
      unitPrice: number;
      oldUnitPrice: number;
      priceChanged: boolean;
      quantity: number;
      pictureUri: string;
      lineTotal: number;
      availableStock: number | null;
    };
    WebBasket: {
      buyerId: string;
      items: components['schemas']['WebBasketItem'][];
      itemCount: number;
      total: number;
      degraded: string[];
    };
    AddBasketItem: { productId: number; quantity?: number };
    UpdateBasketItems: { updates: { basketItemId: string; quantity: number }[] };
    CheckoutDraft: {
      items: { productId: number; productName: string; unitPrice: number; units: number; pictureUri: string }[];
      total: number;
    };
    Checkout: {
      city: string;
      street: string;
      state: string;
      country: string;
      zipCode: string;
      cardNumber: string;
      cardHolderName: string;
      /** Format: date */
      cardExpiration: string;
      cardSecurityNumber: string;
      cardTypeId: number;
    };
    CheckoutAccepted: { requestId: string };
    OrderSummary: { orderNumber: number; date: string; status: string; total: number };
    OrderList: { orders: components['schemas']['OrderSummary'][] };
    Order: {
      orderNumber: number;
      date: string;
      status: string;
      description: string;
      street: string;
      city: string;
      state: string;
      zipCode: string;
      country: string;
      orderItems: { productId: number; productName: string; units: number; unitPrice: number }[];
      total: number;
    };
    CancelledOrder: { orderNumber: number; status: string };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;

type ProblemContent = { headers: { [name: string]: unknown }; content: { 'application/problem+json': components['schemas']['Problem'] } };
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type CatalogQuery = { pageIndex?: number; pageSize?: number; brandId?: number; typeId?: number };
type Errors = {
  400: ProblemContent;
  401: ProblemContent;
  404: ProblemContent;
  409: ProblemContent;
  422: ProblemContent;
  429: ProblemContent;
  502: ProblemContent;
  503: ProblemContent;
  504: ProblemContent;
};

export interface operations {
  getHome: {
    parameters: { query?: CatalogQuery; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['WebHome']> } & Errors;
  };
  listProducts: {
    parameters: { query?: CatalogQuery & { q?: string }; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['WebProductPage']> } & Errors;
  };
  getProduct: {
    parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['WebProductDetail']> } & Errors;
  };
  getProductPicture: {
    parameters: { query?: never; header?: never; path: { id: number }; cookie?: never };
    requestBody?: never;
    responses: { 200: { headers: { [name: string]: unknown }; content: { 'image/png': string; 'image/webp': string } } } & Errors;
  };
  getBasket: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['WebBasket']> } & Errors;
  };
  addBasketItem: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody: { content: { 'application/json': components['schemas']['AddBasketItem'] } };
    responses: { 200: Json<components['schemas']['WebBasket']> } & Errors;
  };
  updateBasketItems: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody: { content: { 'application/json': components['schemas']['UpdateBasketItems'] } };
    responses: { 200: Json<components['schemas']['WebBasket']> } & Errors;
  };
  removeBasketItem: {
    parameters: { query?: never; header?: never; path: { basketItemId: string }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['WebBasket']> } & Errors;
  };
  getCheckoutDraft: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['CheckoutDraft']> } & Errors;
  };
  checkout: {
    parameters: { query?: never; header: { 'Idempotency-Key': string }; path?: never; cookie?: never };
    requestBody: { content: { 'application/json': components['schemas']['Checkout'] } };
    responses: { 202: Json<components['schemas']['CheckoutAccepted']> } & Errors;
  };
  listOrders: {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['OrderList']> } & Errors;
  };
  getOrder: {
    parameters: { query?: never; header?: never; path: { orderNumber: number }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['Order']> } & Errors;
  };
  cancelOrder: {
    parameters: { query?: never; header?: never; path: { orderNumber: number }; cookie?: never };
    requestBody?: never;
    responses: { 200: Json<components['schemas']['CancelledOrder']> } & Errors;
  };
}
