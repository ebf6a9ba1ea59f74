import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HttpHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { DOWNSTREAM_TRANSPORTS, type DownstreamName, type Transports } from '@app/downstream';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from './api-answers';
import { Lifecycle } from './lifecycle';

const CHECKS = { type: 'object', additionalProperties: true, description: 'Per downstream: status up/down and breaker states' };

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
@ApiTags('operations')
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
  @ApiOperation({ summary: 'Liveness: 200 while the process can serve (never looks at downstreams)' })
  @ApiResponse({
    status: 200,
    description: 'Alive',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: 200 when every required downstream is reachable and its circuit closed' })
  @ApiResponse({
    status: 200,
    description: 'Ready',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] }, info: CHECKS, error: CHECKS, details: CHECKS },
    },
  })
  @ApiProblems({ 503: 'Not ready: draining, or a required downstream is unreachable or its circuit open (`checks` says which)' })
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
