// The processes of the local system, in start order, with their ports (CONTRACTS.md defaults): the six
// services and BFFs, then the storefront SPA's static server (web-bff's default CORS origin).
module.exports = [
  { name: 'identity-api', port: 5105, kind: 'sample' },
  { name: 'catalog-api', port: 5101, kind: 'sample' },
  { name: 'ordering-api', port: 5102, kind: 'sample' },
  { name: 'basket-api', port: 5103, kind: 'sample' },
  { name: 'web-bff', port: 4000, kind: 'bff' },
  { name: 'mobile-bff', port: 4001, kind: 'bff' },
  { name: 'web-spa', port: 3000, kind: 'spa' },
];
