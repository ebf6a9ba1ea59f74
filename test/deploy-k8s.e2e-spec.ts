import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { BFF_ENV_KEYS, loadBffConfig, type BffName } from '@app/config';
import { requireBinary } from './support/scale-out-rig';

const ROOT = join(__dirname, '..');
const BFFS: { name: BffName; port: number }[] = [
  { name: 'web-bff', port: 4000 },
  { name: 'mobile-bff', port: 4001 },
];

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: any;
};

/** `kubectl kustomize <dir>` (client only, no cluster) → the rendered objects. */
function render(dir: string): Doc[] {
  requireBinary('kubectl', 'version', 'kubectl (https://kubernetes.io/docs/tasks/tools/)');
  const out = spawnSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${out.stderr}`);
  return (loadAll(out.stdout) as Doc[]).filter(Boolean);
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Milliseconds a preStop hook waits (`sleep N` exec or the sleep action). */
function preStopMs(container: any): number {
  const pre = container.lifecycle?.preStop;
  if (pre?.sleep) return pre.sleep.seconds * 1000;
  const cmd: string[] = pre?.exec?.command ?? [];
  return cmd[0] === 'sleep' ? Number(cmd[1]) * 1000 : NaN;
}

describe.each([
  ['the base', 'deploy/k8s'],
  ['the example overlay', 'deploy/k8s/overlays/example'],
])('Kubernetes manifests: %s (kubectl kustomize)', (_label, dir) => {
  const docs = render(dir);
  const of = (kind: string) => docs.filter((d) => d.kind === kind);
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  it('tags every image with a version, never latest', () => {
    const containers = [...of('Deployment'), ...of('StatefulSet')].flatMap((d) => d.spec.template.spec.containers);
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      expect(c.image).toMatch(/^[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  describe.each(BFFS)('$name', ({ name, port }) => {
    const deployment = find('Deployment', name)!;
    const pod = deployment?.spec.template.spec;
    const container = pod?.containers.find((c: any) => c.name === name);
    const podLabels = deployment?.spec.template.metadata.labels;
    /** The container's environment as the kubelet builds it: envFrom ConfigMaps, then env. */
    const env = (): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const from of container.envFrom ?? []) {
        const cm = find('ConfigMap', from.configMapRef.name);
        expect([from.configMapRef.name, cm !== undefined]).toEqual([from.configMapRef.name, true]);
        Object.assign(out, cm!.data);
      }
      for (const e of container.env ?? []) out[e.name] = e.value ?? `<from ${JSON.stringify(e.valueFrom)}>`;
      return out;
    };

    it('has a Deployment whose configuration is a valid run contract', () => {
      expect(deployment).toBeDefined();
      expect(deployment.spec.selector.matchLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': name }));
      expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
      const vars = env();
      const unknown = Object.keys(vars).filter((k) => !(BFF_ENV_KEYS as readonly string[]).includes(k));
      expect(unknown).toEqual([]);
      const config = loadBffConfig(name, { ...vars, CURSOR_SECRET: 'x'.repeat(32) });
      expect(config.port).toBe(port);
      expect(container.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: port })]);
      expect(config.redisUrl).toMatch(/^redis:\/\//);
      expect(config.trustedProxies.length).toBeGreaterThan(0);
    });

    it('takes CURSOR_SECRET from a Secret', () => {
      const entry = container.env.find((e: any) => e.name === 'CURSOR_SECRET');
      expect(entry?.valueFrom?.secretKeyRef).toEqual({ name: expect.any(String), key: 'CURSOR_SECRET' });
      const secret = find('Secret', entry.valueFrom.secretKeyRef.name);
      if (dir.includes('overlays')) {
        expect(secret).toBeDefined();
        const value = secret!.data ? Buffer.from(secret!.data.CURSOR_SECRET, 'base64').toString() : secret!.stringData.CURSOR_SECRET;
        expect(value.length).toBeGreaterThanOrEqual(16);
      }
    });

    it('probes the run contract’s health routes on the serving port', () => {
      const portOk = (p: number | string) => p === 'http' || p === port;
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
        expect(portOk(probe.httpGet.port)).toBe(true);
    });

    it('runs non-root on a read-only root filesystem, with requests and a memory limit', () => {
      const runAsNonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      expect(runAsNonRoot).toBe(true);
      // The image's USER is numeric 1000; a pod-level uid must not be 0.
      expect(pod.securityContext?.runAsUser ?? 1000).toBeGreaterThan(0);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(container.resources.limits.memory).toBeDefined();
    });

    it('drains: preStop, SHUTDOWN_DELAY_MS, and a termination grace longer than all of it', () => {
      const vars = env();
      const delay = Number(vars.SHUTDOWN_DELAY_MS);
      const grace = Number(vars.SHUTDOWN_GRACE_MS ?? 10_000);
      expect(delay).toBeGreaterThan(0);
      const pre = preStopMs(container);
      expect(pre).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(pre + delay + grace);
    });

    it('has a Service, an HPA and a PDB that all point at it', () => {
      const service = find('Service', name)!;
      expect(service).toBeDefined();
      expect(matches(service.spec.selector, podLabels)).toBe(true);
      for (const p of service.spec.ports) expect(['http', port]).toContain(p.targetPort);
      const hpa = of('HorizontalPodAutoscaler').find(
        (h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === name,
      );
      expect(hpa).toBeDefined();
      expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
      const pdb = of('PodDisruptionBudget').find((p) => matches(p.spec.selector.matchLabels, podLabels));
      expect(pdb).toBeDefined();
      // The HPA owns the replica count; a fixed one would be reset on every apply.
      expect(deployment.spec.replicas).toBeUndefined();
    });
  });
});

describe('Kubernetes example overlay: Redis and namespace', () => {
  const docs = render('deploy/k8s/overlays/example');

  it('runs Redis as a StatefulSet behind the Service the BFFs’ REDIS_URL names', () => {
    const configs = docs.filter((d) => d.kind === 'ConfigMap' && d.data?.REDIS_URL);
    expect(configs.length).toBeGreaterThan(0);
    for (const cm of configs) {
      const url = new URL(cm.data.REDIS_URL);
      const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === url.hostname.split('.')[0])!;
      expect(service).toBeDefined();
      expect(service.spec.ports.map((p: any) => p.port)).toContain(Number(url.port || 6379));
      const sts = docs.find((d) => d.kind === 'StatefulSet' && matches(service.spec.selector, d.spec.template.metadata.labels));
      expect(sts).toBeDefined();
      expect(sts!.spec.template.spec.containers[0].readinessProbe).toBeDefined();
    }
  });

  it('puts every namespaced object in one namespace', () => {
    const namespaced = docs.filter((d) => d.kind !== 'Namespace');
    const namespaces = new Set(namespaced.map((d) => d.metadata.namespace));
    expect(namespaces.size).toBe(1);
    expect(docs.find((d) => d.kind === 'Namespace')?.metadata.name).toBe([...namespaces][0]);
  });
});
