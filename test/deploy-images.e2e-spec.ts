import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';
import { BFF_ENV_KEYS, loadBffConfig, type BffName } from '@app/config';
import { freePort, requireBinary, waitFor } from './support/scale-out-rig';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..');
/** The Node apps the Dockerfile builds (the storefront SPA is static files, not one of them). */
// scripts/apps.js is plain JS (the build and start scripts read it without a build).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const APPS = (require(join(ROOT, 'scripts', 'apps.js')) as { name: string; port: number; kind: 'bff' | 'sample' | 'spa' }[]).filter(
  (a) => a.kind !== 'spa',
);
const BFFS: BffName[] = ['web-bff', 'mobile-bff'];

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  image: string;
  steps: Instruction[];
}

/** Dockerfile → stages of instructions (continuations joined, comments and the parser directive dropped). */
function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = line.match(/^(\S+)\s+(.*)$/) ?? [];
    const step = { op: op.toUpperCase(), args: args.trim() };
    if (step.op === 'FROM') {
      const [image, , name] = step.args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), image, steps: [] });
    } else if (stages.length === 0) globalArgs.push(step);
    else stages[stages.length - 1].steps.push(step);
  }
  return { globalArgs, stages };
}

const DOCKERFILE = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const IGNORED = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const RUNTIME = DOCKERFILE.stages[DOCKERFILE.stages.length - 1];

const subst = (s: string, vars: Record<string, string>) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => vars[a ?? b] ?? `\${${a ?? b}}`);

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}
function copies(stage: Stage, vars: Record<string, string>): Copy[] {
  return stage.steps
    .filter((s) => s.op === 'COPY')
    .map((s) => {
      const words = subst(s.args, vars).split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice(7);
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
    });
}

function envOf(stage: Stage, vars: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of stage.steps.filter((x) => x.op === 'ENV')) {
    for (const m of subst(s.args, vars).matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
  }
  return env;
}

const execForm = (args: string) => JSON.parse(args.replace(/^(--\S+\s+)*CMD\s+/, '')) as string[];

/** What `npm ci --omit=dev` installs: the lockfile's packages not marked dev. */
function productionPackages(): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return new Set(
    Object.entries(lock.packages)
      .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  );
}

describe('the Dockerfile (no Docker engine here: what can be checked without one)', () => {
  it('builds one app per image (APP), in stages, from pinned base images', () => {
    expect(DOCKERFILE.stages.length).toBeGreaterThanOrEqual(2);
    const globalVars = Object.fromEntries(
      DOCKERFILE.globalArgs.filter((a) => a.op === 'ARG').map((a) => a.args.split('=') as [string, string]),
    );
    for (const stage of DOCKERFILE.stages) {
      const image = subst(stage.image, globalVars);
      expect(image).toMatch(/^node:20[\w.-]*$/);
      expect(image).not.toMatch(/latest/);
    }
    expect(RUNTIME.steps.some((s) => s.op === 'ARG' && s.args === 'APP')).toBe(true);
  });

  it('names only files that exist and that .dockerignore lets into the context', () => {
    const ignored = (p: string) => IGNORED.some((pattern) => !pattern.includes('*') && (p === pattern || p.startsWith(`${pattern}/`)));
    for (const stage of DOCKERFILE.stages) {
      for (const c of copies(stage, { APP: 'web-bff' }).filter((x) => !x.from)) {
        for (const src of c.sources) {
          expect([src, existsSync(join(ROOT, src))]).toEqual([src, true]);
          expect([src, ignored(src.replace(/^\.\//, ''))]).toEqual([src, false]);
        }
      }
    }
  });

  it('runs as a numeric non-root user, with a node-based HEALTHCHECK on /health/live', () => {
    const user = RUNTIME.steps.filter((s) => s.op === 'USER').pop()?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    const health = RUNTIME.steps.find((s) => s.op === 'HEALTHCHECK')!;
    expect(execForm(health.args)[0]).toBe('node');
    expect(readFileSync(join(ROOT, 'scripts', 'healthcheck.js'), 'utf8')).toContain('/health/live');
  });

  it('gives each bundle only production dependencies (what the deps stage installs)', () => {
    const deps = DOCKERFILE.stages.find((s) => s.name === 'deps')!;
    expect(deps.steps.some((s) => s.op === 'RUN' && /npm ci\b.*--omit=dev/.test(s.args))).toBe(true);
    const production = productionPackages();
    const builtins = new Set(builtinModules);
    for (const app of APPS) {
      const main = join(ROOT, 'dist', 'apps', app.name, 'main.js');
      const requires = [...readFileSync(main, 'utf8').matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]);
      const packages = new Set(requires.map((r) => (r.startsWith('@') ? r.split('/').slice(0, 2).join('/') : r.split('/')[0])));
      const missing = [...packages].filter((p) => !p.startsWith('node:') && !builtins.has(p) && !production.has(p));
      expect([app.name, missing]).toEqual([app.name, []]);
    }
  });

  /**
   * The runtime stage's COPY lines replayed into a temp dir (node_modules linked: its content is
   * checked above), then its CMD and HEALTHCHECK run there, as the container would run them.
   */
  it.each(APPS.map((a) => [a.name]))('%s starts from the paths the image copies, and its HEALTHCHECK sees it', async (name) => {
    const vars = { APP: name };
    const dir = mkdtempSync(join(tmpdir(), `image-${name}-`));
    try {
      const workdir = RUNTIME.steps.filter((s) => s.op === 'WORKDIR').pop()!.args;
      for (const c of copies(RUNTIME, vars)) {
        for (const src of c.sources) {
          const dest = join(dir, c.dest.endsWith('/') ? join(c.dest, src.split('/').pop()!) : c.dest);
          mkdirSync(dirname(dest), { recursive: true });
          if (c.from === 'deps') {
            expect(src).toBe(`${workdir}/node_modules`);
            symlinkSync(join(ROOT, 'node_modules'), dest);
          } else {
            // From the build stage: the path inside it is the repo's path after `npm run build`.
            const local = c.from ? src.replace(new RegExp(`^${workdir}/`), '') : src;
            expect([local, existsSync(join(ROOT, local))]).toEqual([local, true]);
            cpSync(join(ROOT, local), dest, { recursive: true });
          }
        }
      }
      const port = await freePort();
      const env = { PATH: process.env.PATH ?? '', ...envOf(RUNTIME, vars), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
      const [cmd, ...args] = execForm(RUNTIME.steps.find((s) => s.op === 'CMD')!.args);
      const health = execForm(RUNTIME.steps.find((s) => s.op === 'HEALTHCHECK')!.args);
      const healthy = () => spawnSync(health[0], health.slice(1), { cwd: dir, env, timeout: 5000 }).status === 0;
      expect(healthy()).toBe(false);
      const child = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      try {
        await waitFor(`${name} from the image layout`, async () => {
          if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
          return healthy();
        });
      } finally {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      expect(healthy()).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

type ComposeService = {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  networks?: Record<string, { ipv4_address?: string }>;
  volumes?: string[];
};

describe('docker-compose.yml', () => {
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const built = Object.entries(services).filter(([, s]) => s.build);
  const lb = Object.entries(services).find(([, s]) => s.image?.startsWith('haproxy'))!;

  it('builds every app from the Dockerfile with its APP, at a fixed tag', () => {
    expect(built.map(([, s]) => s.build!.args!.APP).sort()).toEqual(APPS.map((a) => a.name).sort());
    for (const [name, s] of built) {
      expect([name, s.build!.context]).toEqual([name, '.']);
      expect(s.environment!.APP).toBe(s.build!.args!.APP);
      expect(s.image).toMatch(/:[\w.-]+$/);
      expect(s.image).not.toMatch(/:latest$/);
    }
    for (const [, s] of Object.entries(services)) if (s.image) expect(s.image).not.toMatch(/:latest$|^[^:]+$/);
  });

  it('waits for healthy dependencies, each of which has a health check', () => {
    for (const [name, s] of Object.entries(services)) {
      expect([name, s.healthcheck?.test?.length ?? 0]).not.toEqual([name, 0]);
      for (const [dep, cond] of Object.entries(s.depends_on ?? {})) {
        expect([name, dep, cond.condition]).toEqual([name, dep, 'service_healthy']);
        expect(services[dep]).toBeDefined();
      }
    }
  });

  it.each(BFFS.map((b) => [b]))('runs %s as two replicas with a valid run-contract environment', (app) => {
    const [, s] = built.find(([, x]) => x.build!.args!.APP === app)!;
    const env = { ...s.environment! };
    expect(s.deploy?.replicas).toBe(2);
    const unknown = Object.keys(env).filter((k) => k !== 'APP' && !(BFF_ENV_KEYS as readonly string[]).includes(k));
    expect(unknown).toEqual([]);
    for (const shared of ['REDIS_URL', 'CURSOR_SECRET', 'TRUSTED_PROXIES', 'AUTH_JWKS_URL', 'AUTH_ISSUER'])
      expect(env[shared]).toBeDefined();
    // Interpolated by compose from the operator's shell; required, so no default secret ships.
    expect(env.CURSOR_SECRET).toMatch(/^\$\{CURSOR_SECRET:\?.+\}$/);
    const config = loadBffConfig(app, { ...env, CURSOR_SECRET: 'a-cursor-secret-of-32-characters' });
    expect(config.port).toBe(APPS.find((a) => a.name === app)!.port);
    // Every URL points at a service of this file, on the port that service listens on.
    for (const url of [...config.downstreams.catalog, ...config.downstreams.basket, ...config.downstreams.ordering, config.auth.jwksUrl]) {
      const { hostname, port } = new URL(url);
      expect([url, services[hostname]?.environment?.PORT]).toEqual([url, port]);
    }
    expect(services[new URL(config.redisUrl!).hostname]?.image).toMatch(/^redis:/);
    // Only the balancer is trusted, at the address it is pinned to.
    expect(config.trustedProxies).toEqual([lb[1].networks!.default.ipv4_address]);
    expect(Object.keys(s.depends_on!)).toEqual(
      expect.arrayContaining(['redis', 'catalog-api', 'basket-api', 'ordering-api', 'identity-api']),
    );
  });

  it('puts HAProxy in front of both BFFs: forwardfor, readiness checks, every replica', () => {
    const [, balancer] = lb;
    expect(Object.keys(balancer.depends_on!).sort()).toEqual([...BFFS].sort());
    const mount = balancer.volumes!.find((v) => v.includes('haproxy.cfg'))!;
    const cfgPath = join(ROOT, mount.split(':')[0]);
    const cfg = readFileSync(cfgPath, 'utf8');
    for (const app of BFFS) {
      const port = services[app].environment!.PORT;
      const backend = cfg.split(/\n(?=backend |frontend |defaults|global|resolvers )/).find((b) => b.includes(` ${app}:${port}`));
      expect(backend).toBeDefined();
      expect(backend).toMatch(/option forwardfor/);
      expect(backend).toMatch(/option httpchk GET \/health\/ready/);
      expect(backend).toMatch(new RegExp(`server-template \\S+ ${services[app].deploy!.replicas} ${app}:${port} check`));
    }
    requireBinary('haproxy', '-v', 'haproxy');
    const check = spawnSync('haproxy', ['-c', '-f', cfgPath], { encoding: 'utf8' });
    expect(check.status).toBe(0);
  });
});
