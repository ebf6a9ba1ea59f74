import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';

/**
 * The pieces of a scale-out on loopback: real redis-server and HAProxy processes from PATH, built BFF
 * processes (`node dist/apps/<name>/main.js`, as the run contract starts them), and an HTTP GET that
 * picks its source address so 127.0.0.2, 127.0.0.3 … are distinct clients.
 */

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET on a fresh connection from `localAddress`. */
export function getFrom(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Fails with the binary's name and how to install it when it is not on PATH. */
export function requireBinary(name: string, versionFlag: string, debianPackage: string): void {
  const probe = spawnSync(name, [versionFlag], { stdio: 'ignore' });
  if (probe.error) {
    throw new Error(
      `${name} is not on PATH: this suite starts its own ${name}. Install it (Debian/Ubuntu: apt-get install -y ${debianPackage}).`,
    );
  }
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const answers =
  (url: string, status = 200) =>
  () =>
    new Promise<boolean>((resolve) => {
      const req = request(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === status);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
      req.end();
    });

/** A child process whose output lines are kept; `stop` signals it and resolves with its exit code. */
export interface Proc {
  child: ChildProcess;
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function startProc(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    lines,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface RedisProc extends Proc {
  url: string;
}

export async function startRedis(): Promise<RedisProc> {
  requireBinary('redis-server', '--version', 'redis-server');
  const port = await freePort();
  const proc = startProc('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitFor(`redis-server on ${port}`, async () => proc.lines.some((l) => /Ready to accept connections/.test(l)));
  return { ...proc, url: `redis://127.0.0.1:${port}` };
}

export interface BffProc extends Proc {
  name: 'web-bff' | 'mobile-bff';
  port: number;
  url: string;
}

/** The built BFF (`npm test` builds it first), listening on 127.0.0.1:`port`, once /health/ready answers 200. */
export async function startBuiltBff(name: 'web-bff' | 'mobile-bff', port: number, env: Record<string, string>): Promise<BffProc> {
  const main = join(__dirname, '..', '..', 'dist', 'apps', name, 'main.js');
  const proc = startProc(process.execPath, [main], { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${name} on ${port} to be ready (did \`npm run build\` run?)`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`${name} exited: ${proc.lines.slice(-5).join('\n')}`);
    return answers(`${url}/health/ready`)();
  });
  return { ...proc, name, port, url };
}

export interface Balanced {
  name: string;
  port: number;
  servers: { name: string; port: number }[];
}

export interface HaproxyProc extends Proc {
  /** Frontend URL per backend name. */
  urls: Record<string, string>;
  /** `UP`, `DOWN`, `MAINT` … per `backend/server`, from the stats page. */
  states(): Promise<Record<string, string>>;
  dir: string;
}

/**
 * HAProxy in front of the replicas, configured as a deployment would be: health checks on
 * /health/ready every 500 ms (two failures take a server out, two successes bring it back),
 * `option forwardfor`, retries with redispatch for connections a replica refused, and
 * `X-Served-By` on answers so tests see which replica served.
 */
export async function startHaproxy(backends: Balanced[]): Promise<HaproxyProc> {
  requireBinary('haproxy', '-v', 'haproxy');
  const statsPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'scale-out-haproxy-'));
  const cfg = [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 15s',
    '  timeout server 15s',
    '  timeout http-keep-alive 5s',
    // A connection a replica refuses is tried again on another one. Only that: L7 retries (empty-response,
    // response-timeout) would hide a replica that drops requests it accepted, which the suite must see.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    `frontend stats`,
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    ...backends.flatMap((b) => [
      `frontend ${b.name}`,
      `  bind 127.0.0.1:${b.port}`,
      `  default_backend ${b.name}`,
      `backend ${b.name}`,
      '  balance roundrobin',
      '  option forwardfor',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      '  http-response set-header X-Served-By %s',
      // A check may take up to `timeout check` (readiness calls the downstreams; the machine may be busy);
      // a draining replica answers 503 at once, so it is out within fall × inter (≈ 1 s).
      '  timeout check 2s',
      '  default-server inter 500ms fall 2 rise 2',
      ...b.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
    ]),
    '',
  ].join('\n');
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, cfg);
  const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`generated haproxy.cfg is invalid:\n${check.stdout}${check.stderr}\n${cfg}`);
  const proc = startProc('haproxy', ['-db', '-f', file]);
  const stopProc = proc.stop;
  const states = async (): Promise<Record<string, string>> => {
    const csv = await new Promise<string>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${statsPort}/stats;csv`, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    const out: Record<string, string> = {};
    for (const line of csv.split('\n').slice(1)) {
      const [px, sv, ...rest] = line.split(',');
      if (sv && sv !== 'FRONTEND' && sv !== 'BACKEND') out[`${px}/${sv}`] = rest[15];
    }
    return out;
  };
  await waitFor('haproxy stats', async () => Object.keys(await states()).length > 0);
  return {
    ...proc,
    dir,
    urls: Object.fromEntries(backends.map((b) => [b.name, `http://127.0.0.1:${b.port}`])),
    states,
    stop: async (signal) => {
      const code = await stopProc(signal);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
