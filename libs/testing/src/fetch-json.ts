import { createServer, type AddressInfo } from 'node:net';

export interface JsonAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
  text: string;
  /** Wall time until the whole body arrived. */
  ms: number;
}

/** fetch() that reads the whole answer, parses it when it is JSON, and times it. */
export async function fetchJson(url: string, init?: RequestInit): Promise<JsonAnswer> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text, ms: performance.now() - t0 };
}

/** The URL of a loopback port nobody listens on: connections to it are refused. */
export async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
