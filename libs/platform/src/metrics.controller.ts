import { Controller, Get, Header, Inject } from '@nestjs/common';
import { DOWNSTREAM_TRANSPORTS, type Transports } from '@app/downstream';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BffMetrics } from './metrics';

const STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Prometheus text format. Served here unless ADMIN_PORT moves it to the admin listener or turns it off. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: BffMetrics,
    @Inject(DOWNSTREAM_TRANSPORTS) private readonly transports: Transports,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format 0.0.4)' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return scrapeMetrics(this.metrics, this.transports);
  }
}

/** Breaker gauges are read at scrape time rather than kept in sync on every state change. */
export function scrapeMetrics(metrics: BffMetrics, transports: Transports): Promise<string> {
  for (const transport of Object.values(transports)) {
    for (const b of transport.breakerStates()) {
      metrics.breakers.set({ service: transport.service, instance: b.instance }, STATE_VALUE[b.state]);
    }
  }
  return metrics.registry.metrics();
}
