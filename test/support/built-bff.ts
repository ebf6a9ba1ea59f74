import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

/** A BFF as `npm start` runs it: the built `dist/apps/<name>/main.js` in a child process (npm test builds web-bff first). */
export interface BuiltBff {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the process wrote to stderr so far (start-up errors, warnings). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

export async function startBuiltBff(name: 'web-bff' | 'mobile-bff', env: Record<string, string>): Promise<BuiltBff> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'apps', name, 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    if (
      await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection after answering. */
  closed: boolean;
}

/** Opens a raw TCP connection (HTTP clients refuse to send malformed requests). */
export function openSocket(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Writes bytes as they are and reads one answer; waits up to `closeWithinMs` to see whether the server closes. */
export async function sendRaw(port: number, bytes: string | Buffer, closeWithinMs = 1000, localAddress?: string): Promise<WireAnswer> {
  const socket = await openSocket(port, localAddress);
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  const ended = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
  socket.write(bytes);
  const deadline = Date.now() + closeWithinMs;
  while (!closed && Date.now() < deadline && !parseAnswer(Buffer.concat(chunks))) await new Promise((r) => setTimeout(r, 10));
  await Promise.race([ended, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
  socket.destroy();
  const answer = parseAnswer(Buffer.concat(chunks));
  if (!answer) throw new Error(`no complete HTTP answer; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 300))}`);
  return { ...answer, closed };
}

/** One HTTP/1.1 answer with a Content-Length body, or undefined while incomplete. */
export function parseAnswer(raw: Buffer): Omit<WireAnswer, 'closed'> | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = raw.subarray(end + 4);
  if (body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString('utf8') };
}
