import { runSample, sampleAuthFromEnv } from '@app/sample-kit';
import { createOrderingApp } from './ordering.app';

runSample('ordering-api', {
  defaultPort: 5102,
  create: () => createOrderingApp({ auth: sampleAuthFromEnv() }),
});
