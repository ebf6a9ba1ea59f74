import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { sendJson, sleep, startBffRig, startTestServer, type BffRig, type RunningApp, type TestServer } from '@app/testing';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

/** With OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach a real OTLP/HTTP collector, linked to the caller's trace. */
describe('OpenTelemetry export', () => {
  let rig: BffRig;
  let double: TestServer;
  let collector: TestServer;
  let bff: RunningApp;

  beforeAll(async () => {
    collector = await startTestServer((_req, res) => sendJson(res, 200, {}));
    rig = await startBffRig({ env: { CACHE_TTL_MS: '0', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, bffs: { 'web-bff': createWebBff } });
    double = rig.double!;
    bff = rig.apps['web-bff']!;
  });
  afterAll(async () => {
    await rig?.close();
    await collector?.close();
  });

  it('exports a server span continuing the caller’s trace and a client span per downstream call', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpan = 'b7ad6b7169203331';
    const before = double.requests.length;
    expect((await fetch(`${bff.url}/api/home`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } })).status).toBe(200);

    let spans: OtlpSpan[] = [];
    for (let i = 0; i < 40 && spans.filter((s) => s.traceId === traceId).length < 4; i++) {
      await sleep(100);
      spans = collector.requests
        .filter((r) => r.url === '/v1/traces')
        .flatMap((r) => JSON.parse(r.body).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));
    }
    const mine = spans.filter((s) => s.traceId === traceId);
    const server = mine.find((s) => s.name === 'GET /api/home');
    expect(server?.parentSpanId).toBe(callerSpan);
    const clients = mine.filter((s) => s.parentSpanId === server?.spanId);
    expect(clients.map((s) => s.name).sort()).toEqual(['GET catalog', 'GET catalog', 'GET catalog']);
    // What the downstream saw as its parent is exactly the exported client span.
    const sentParents = double.requests.slice(before).map((r) => String(r.headers.traceparent).split('-')[2]);
    expect(sentParents.sort()).toEqual(clients.map((s) => s.spanId).sort());
  });
});
