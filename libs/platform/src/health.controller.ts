import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HttpHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { DOWNSTREAM_TRANSPORTS, type DownstreamName, type Transports } from '@app/downstream';
import { Lifecycle } from './lifecycle';

/** A route on each downstream that any contract-honouring service answers without side effects. */
const PROBES: Record<DownstreamName, string> = {
  catalog: '/api/v1/catalog/catalogbrands',
  basket: '/api/v1/basket/readiness-probe',
  ordering: '/api/v1/orders/cardtypes',
};

/**
 * Liveness never looks at downstreams. Readiness: not draining, and each required downstream has an
 * instance whose breaker is not open and that answers at all. Details name instances `service#n`.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly http: HttpHealthIndicator,
    private readonly lifecycle: Lifecycle,
    @Inject(BFF_CONFIG) private readonly config: BffConfig,
    @Inject(DOWNSTREAM_TRANSPORTS) private readonly transports: Transports,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.lifecycle.draining) throw new ServiceUnavailableException({ detail: 'Shutting down' });
    return this.health.check((Object.keys(PROBES) as DownstreamName[]).map((name) => () => this.reachable(name)));
  }

  private async reachable(name: DownstreamName): Promise<HealthIndicatorResult> {
    const transport = this.transports[name];
    const breakers = transport.breakerStates();
    if (transport.available) {
      // Up when any instance answers below 500 (401 from basket/ordering still proves reachability).
      for (const base of this.config.downstreams[name]) {
        const result = await this.http.responseCheck(name, base + PROBES[name], (res) => res.status < 500, {
          timeout: Math.min(1000, this.config.downstreamTimeoutMs),
          maxRedirects: 0,
        });
        if (result[name]?.status === 'up') return { [name]: { status: 'up', breakers } };
      }
    }
    // Only service and instance names go out: the indicator's own message would name the host.
    return { [name]: { status: 'down', breakers } };
  }
}
