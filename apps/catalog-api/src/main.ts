import { runSample, urlFromEnv } from '@app/sample-kit';
import { createCatalogApp } from './catalog.app';

runSample('catalog-api', {
  defaultPort: 5101,
  // A trailing slash is trimmed by the factory.
  create: (port) => createCatalogApp({ pictureBaseUrl: urlFromEnv('PICTURE_BASE_URL', `http://localhost:${port}`) }),
});
