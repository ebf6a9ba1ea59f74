import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { request } from 'undici';
import type { TraceContext } from '@app/context';

/** A span that is running: its ids (for `traceparent`) and how to end it. */
export interface OpenSpan {
  trace: TraceContext;
  end(attributes: Record<string, string | number>, failed: boolean): void;
}

/**
 * OpenTelemetry export, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: a server span per request
 * (child of the caller's traceparent) and a client span per downstream attempt, sent over OTLP/HTTP
 * in batches. The provider is not registered globally, so several apps can share a process.
 */
export class OtelTracing {
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;

  constructor(endpoint: string, serviceName: string) {
    const exporter = new OtlpJsonExporter(`${endpoint.replace(/\/+$/, '')}/v1/traces`);
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 500 })],
    });
    this.tracer = this.provider.getTracer('storefront-bff');
  }

  /** The request's span: a child of the caller's span when it sent a valid traceparent, else a new trace. */
  server(name: string, parent: TraceContext | undefined): OpenSpan {
    const ctx = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: parent.traceId,
          spanId: parent.spanId,
          traceFlags: parseInt(parent.flags, 16),
          isRemote: true,
        })
      : ROOT_CONTEXT;
    return this.open(this.tracer.startSpan(name, { kind: SpanKind.SERVER }, ctx), parent?.flags ?? '01');
  }

  /** A downstream attempt's span, child of the request's. */
  client(name: string, parent: TraceContext): OpenSpan {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      traceFlags: parseInt(parent.flags, 16),
    });
    return this.open(this.tracer.startSpan(name, { kind: SpanKind.CLIENT }, ctx), parent.flags);
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }

  private open(span: Span, flags: string): OpenSpan {
    const sc = span.spanContext();
    return {
      trace: { traceId: sc.traceId, spanId: sc.spanId, flags },
      end(attributes, failed) {
        span.setAttributes(attributes);
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }
}

/**
 * OTLP/HTTP (JSON) span export over undici, with OpenTelemetry's own serializer. Not
 * @opentelemetry/exporter-trace-otlp-http: its transport loads `http` through a dynamic import(),
 * which jest's CommonJS runtime cannot run, so the export path could not be tested for real.
 */
class OtlpJsonExporter implements SpanExporter {
  constructor(private readonly url: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) return done({ code: ExportResultCode.FAILED });
    request(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      headersTimeout: 5000,
      bodyTimeout: 5000,
    }).then(
      async (res) => {
        await res.body.dump();
        done({ code: res.statusCode < 300 ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
      },
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
  }

  async shutdown(): Promise<void> {}
}
