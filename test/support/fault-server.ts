import { request, type Agent, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendJson, startContractDouble, type RecordedRequest, type TestServer } from '@app/testing';

/**
 * A switchable faulty downstream for fault-injection suites: one contract double per service (so a
 * fault hits exactly one downstream), plus the server-side view a leak check needs (responses still
 * in progress, open connections, bytes pushed into an oversized answer).
 */

/** Put into every faulty body, header and stack so a test can prove it never reaches a client. */
export const SECRET = 'SECRET-DOWNSTREAM-DETAIL';

export const SERVER_FAULTS = ['500', '503', 'hang', 'reset', 'malformed', 'wrong-shape', 'oversize', 'trickle'] as const;
/** What a running server can be switched to. `refused` (nothing listening) is a closed port instead: see closedPortUrl. */
export type ServerFault = (typeof SERVER_FAULTS)[number];
export type Fault = ServerFault | 'refused';
export const FAULTS: readonly Fault[] = ['500', '503', 'hang', 'reset', 'refused', 'malformed', 'wrong-shape', 'oversize', 'trickle'];

export type Service = 'catalog' | 'basket' | 'ordering';

/** Faults whose answer can only end by the BFF giving up on (and closing) the connection. */
export const SOCKET_KILLING: ReadonlySet<Fault> = new Set<Fault>(['hang', 'reset', 'oversize', 'trickle']);
/** Faults that only a timer ends: the client must wait for the attempt limit or the deadline. */
export const SLOW: ReadonlySet<Fault> = new Set<Fault>(['hang', 'trickle']);

export const OVERSIZE_BYTES = 50 * 1024 * 1024;
export const TRICKLE_INTERVAL_MS = 100;

/** Valid JSON that does not fit the contract's shapes (for any route of the service). */
const WRONG_SHAPE: Record<Service, unknown> = {
  catalog: { pageIndex: '0', pageSize: 10, count: 1, data: [{ id: '1', name: SECRET, price: 'cheap' }], id: 'x', brand: SECRET },
  basket: { buyerId: 42, items: [{ id: 1, productId: '1', productName: SECRET, quantity: 0 }] },
  ordering: { orders: [{ orderNumber: SECRET, total: 'lots' }] },
};

/** The ordering service's healthy answer for GET /api/v1/orders (the plain contract double knows no orders). */
export const DOUBLE_ORDERS = [{ orderNumber: 7, date: '2026-11-20T10:00:00.000Z', status: 'submitted', total: 31 }];

export interface FaultServer {
  readonly service: Service;
  readonly url: string;
  readonly port: number;
  readonly double: TestServer;
  /** Every request received (also the faulted ones). */
  readonly requests: RecordedRequest[];
  /** The fault applied to every request from now on; 'none' serves the contract. */
  fault: ServerFault | 'none';
  /** Responses begun and neither finished nor cut off by a closed socket: a leak when it stays > 0. */
  readonly inFlight: number;
  /** Requests that got the fault instead of an answer. */
  readonly faulted: number;
  /** Connections that carried a faulted request and are still open. */
  readonly openFaultedSockets: number;
  /** Bytes written into oversized answers, and into trickled ones. */
  readonly oversizeBytesSent: number;
  readonly trickleBytesSent: number;
  /** Open TCP connections (server.getConnections). */
  connections(): Promise<number>;
  /**
   * Open connections split by whether they ever carried a request. undici re-dials once after a
   * request was aborted mid-flight (a quirk of its pool, not a leak): such connections sit idle,
   * never used, until the next call takes them.
   */
  connectionStats(): { open: number; used: number; neverUsed: number };
  /** Destroys every open connection (idle keep-alive ones too): a clean baseline of 0. */
  dropConnections(): void;
  resetCounters(): void;
  close(): Promise<void>;
}

export async function startFaultServer(service: Service): Promise<FaultServer> {
  let inFlight = 0;
  let faulted = 0;
  let oversizeBytesSent = 0;
  let trickleBytesSent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const faultedSockets = new Set<Socket>();
  /** Open connections and how many requests each carried. */
  const open = new Map<Socket, number>();

  const state: { fault: ServerFault | 'none' } = { fault: 'none' };
  const double = await startContractDouble({
    fault: (path, res) => {
      if (state.fault === 'none') {
        if (service === 'ordering' && path === '/api/v1/orders') {
          sendJson(res, 200, DOUBLE_ORDERS);
          return true;
        }
        return false;
      }
      faulted++;
      if (res.socket) faultedSockets.add(res.socket);
      return apply(state.fault, res);
    },
  });

  const apply = (fault: ServerFault, res: ServerResponse): boolean => {
    switch (fault) {
      case '500':
        res.writeHead(500, { 'content-type': 'text/plain', 'x-debug': SECRET });
        res.end(
          `System.NullReferenceException: ${SECRET}\n   at ${service}.Api.Controllers.ItemsController.Get() in /src/${service}/Controller.cs:line 42`,
        );
        return true;
      case '503':
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ title: 'Service Unavailable', detail: SECRET, host: 'db-primary.internal:5432' }));
        return true;
      case 'hang':
        return true; // never answer; the socket stays open until the client gives up
      case 'reset':
        res.socket?.resetAndDestroy(); // TCP RST before any byte of an answer
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(`{"pageIndex":0,"data":[{"id":1,"name":"${SECRET}",`);
        return true;
      case 'wrong-shape':
        sendJson(res, 200, WRONG_SHAPE[service]);
        return true;
      case 'oversize':
        // Let the contract double produce its real answer, then send it after 50 MiB of JSON whitespace:
        // a valid, correctly shaped answer that only a body cap can refuse.
        interceptAnswer(res, (status, headers, text) => streamOversized(res, status, headers, text));
        return false;
      case 'trickle':
        // The real answer, one byte every 100 ms: valid, and far too slow.
        interceptAnswer(res, (status, headers, text) => trickle(res, status, headers, text));
        return false;
    }
  };

  const streamOversized = (res: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string) => {
    const { 'content-length': _dropped, ...rest } = headers;
    res.writeHead(status, rest); // no content-length: chunked, so only counting bytes can stop it
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (!res.destroyed && sent < OVERSIZE_BYTES) {
        sent += chunk.length;
        oversizeBytesSent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end(text);
    };
    pump();
  };

  const trickle = (res: ServerResponse, status: number, headers: OutgoingHttpHeaders, text: string) => {
    const { 'content-length': _dropped, ...rest } = headers;
    res.writeHead(status, rest);
    res.flushHeaders();
    const bytes = Buffer.from(text);
    let i = 0;
    const timer = setInterval(() => {
      if (res.destroyed || i >= bytes.length) {
        clearInterval(timer);
        timers.delete(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(bytes.subarray(i, ++i));
      trickleBytesSent++;
    }, TRICKLE_INTERVAL_MS);
    timers.add(timer);
    res.once('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  double.server.on('connection', (socket: Socket) => {
    open.set(socket, 0);
    socket.once('close', () => open.delete(socket));
  });
  double.server.on('request', (req, res: ServerResponse) => {
    if (open.has(req.socket)) open.set(req.socket, open.get(req.socket)! + 1);
    inFlight++;
    res.once('close', () => inFlight--);
  });
  // Idle keep-alive connections stay for the whole suite, so connection counts move only by what a case does.
  double.server.keepAliveTimeout = 60_000;
  const port = Number(new URL(double.url).port);

  return {
    service,
    url: double.url,
    port,
    double,
    requests: double.requests,
    get fault() {
      return state.fault;
    },
    set fault(value) {
      state.fault = value;
    },
    get inFlight() {
      return inFlight;
    },
    get faulted() {
      return faulted;
    },
    get openFaultedSockets() {
      return [...faultedSockets].filter((s) => !s.destroyed).length;
    },
    get oversizeBytesSent() {
      return oversizeBytesSent;
    },
    get trickleBytesSent() {
      return trickleBytesSent;
    },
    connections: () => new Promise<number>((resolve, reject) => double.server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    connectionStats: () => {
      const used = [...open.values()].filter((n) => n > 0).length;
      return { open: open.size, used, neverUsed: open.size - used };
    },
    dropConnections: () => double.server.closeAllConnections(),
    resetCounters: () => {
      faulted = 0;
      faultedSockets.clear();
      oversizeBytesSent = 0;
      trickleBytesSent = 0;
      double.requests.length = 0;
    },
    close: async () => {
      for (const t of timers) clearInterval(t);
      await double.close();
    },
  };
}

/** Captures the contract double's `sendJson` (writeHead + end) so the answer can be sent differently. */
function interceptAnswer(res: ServerResponse, send: (status: number, headers: OutgoingHttpHeaders, text: string) => void): void {
  let status = 200;
  let headers: OutgoingHttpHeaders = {};
  const patched = res as unknown as Record<string, unknown>;
  patched.writeHead = (s: number, h?: OutgoingHttpHeaders) => {
    status = s;
    headers = h ?? {};
    return res;
  };
  patched.end = (text?: unknown) => {
    // Back to the prototype's methods before really answering.
    delete patched.writeHead;
    delete patched.end;
    send(status, headers, String(text ?? ''));
    return res;
  };
}

/** A loopback URL where nothing listens (connection refused). */
export { deadUrl as closedPortUrl } from '@app/testing';

export interface ClientResponse {
  /** The status line's code; 0 when no answer head arrived (connection failed, or the client gave up first). */
  status: number;
  /** The whole answer arrived (not broken off, not given up on). */
  complete: boolean;
  /** The client stopped waiting after `timeoutMs`. */
  gaveUp: boolean;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed body, or undefined when it is not JSON. */
  body: any;
  elapsed: number;
}

/**
 * A GET measured at the client (no Accept-Encoding, so the bytes are readable), on a fresh connection
 * unless an agent is given. Never hangs the suite: gives up after `timeoutMs` (`gaveUp`), even on
 * an answer that keeps trickling in.
 */
export function timedGet(
  url: string,
  headers: Record<string, string> = {},
  opts: { timeoutMs?: number; agent?: Agent } = {},
): Promise<ClientResponse> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let status = 0;
    let resHeaders: ClientResponse['headers'] = {};
    let done = false;
    let gaveUp = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      resolve({ status, complete, gaveUp, headers: resHeaders, text, body, elapsed: performance.now() - started });
    };
    const req = request(url, { method: 'GET', headers, agent: opts.agent ?? false }, (res) => {
      status = res.statusCode ?? 0;
      resHeaders = res.headers;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(true));
      res.on('error', () => finish(false));
      res.on('close', () => finish(false));
    });
    // A whole-answer limit (a socket idle timeout would never fire on a trickling answer).
    const timer = setTimeout(() => {
      gaveUp = true;
      req.destroy(new Error('client gave up'));
      finish(false);
    }, opts.timeoutMs ?? 5000);
    req.on('error', () => finish(false));
    req.end();
  });
}

/** Polls `probe` every 20 ms until it returns true or `withinMs` passes; returns the last result. */
export async function eventually(probe: () => boolean | Promise<boolean>, withinMs = 1000): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
