import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HttpHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { BFF_CONFIG, type BffConfig } from '@app/config';

/** A route on each downstream that any contract-honouring service answers without side effects. */
const PROBES: Record<'catalog' | 'basket' | 'ordering', string> = {
  catalog: '/api/v1/catalog/catalogbrands',
  basket: '/api/v1/basket/readiness-probe',
  ordering: '/api/v1/orders/cardtypes',
};

/** Liveness never looks at downstreams; readiness checks that each required downstream answers at all. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly http: HttpHealthIndicator,
    @Inject(BFF_CONFIG) private readonly config: BffConfig,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      (Object.keys(PROBES) as Array<keyof typeof PROBES>).map((name) => () => this.reachable(name)),
    );
  }

  /** Up when any instance answers below 500 (401 from basket/ordering still proves reachability). */
  private async reachable(name: keyof typeof PROBES): Promise<HealthIndicatorResult> {
    const urls = this.config.downstreams[name];
    for (const base of urls) {
      const result = await this.http.responseCheck(name, base + PROBES[name], (res) => res.status < 500, {
        timeout: Math.min(1000, this.config.downstreamTimeoutMs),
        maxRedirects: 0,
      });
      if (result[name]?.status === 'up') return result;
    }
    // Only the service name goes out: the indicator's own message would name the host.
    return { [name]: { status: 'down', instances: urls.length } };
  }
}
