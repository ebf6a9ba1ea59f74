import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig, BffName } from '@app/config';
import { bffEnv, startBff, type RunningApp } from './bff-harness';
import { startContractDouble, type ContractDoubleOptions } from './contract-double';
import { TestIdentity } from './test-identity';
import type { TestServer } from './test-server';

export type BffFactory = (config: BffConfig) => Promise<NestFastifyApplication>;

export interface BffRigOptions {
  /** BFFs to start at once, with their app factories (libs cannot import the apps themselves). */
  bffs?: Partial<Record<BffName, BffFactory>>;
  /** Extra run-contract variables for every BFF of the rig. */
  env?: Record<string, string>;
  /** Options of the contract double (delays, faults). */
  double?: ContractDoubleOptions;
  /** Point the BFFs at these servers instead of a contract double (one URL for all, or one each). */
  downstreams?: string | { catalog: string; basket: string; ordering: string };
  /** Use this identity (closed by its owner); else a new one, closed with the rig. */
  identity?: TestIdentity;
}

/** Identity + downstreams + BFFs, the set-up shared by the cross-app suites; `close()` stops all of it. */
export interface BffRig {
  identity: TestIdentity;
  /** The contract double, unless `downstreams` was given. */
  double?: TestServer;
  /** The run-contract variables pointing at this rig's identity and downstreams (plus `env`). */
  env: Record<string, string>;
  apps: Partial<Record<BffName, RunningApp>>;
  /** Starts one more BFF on this rig (its variables over the rig's); closed with the rig. */
  start(name: BffName, create: BffFactory, env?: Record<string, string>): Promise<RunningApp>;
  close(): Promise<void>;
}

export async function startBffRig(options: BffRigOptions = {}): Promise<BffRig> {
  const ownIdentity = !options.identity;
  const identity = options.identity ?? (await TestIdentity.start());
  const double = options.downstreams === undefined ? await startContractDouble(options.double) : undefined;
  const env = bffEnv(identity, options.downstreams ?? double!.url, options.env);
  const started: RunningApp[] = [];
  const rig: BffRig = {
    identity,
    double,
    env,
    apps: {},
    async start(name, create, extra = {}) {
      const app = await startBff(name, create, { ...env, ...extra });
      started.push(app);
      return app;
    },
    async close() {
      await Promise.all(started.splice(0).map((a) => a.close().catch(() => undefined)));
      await double?.close();
      if (ownIdentity) await identity.close();
    },
  };
  try {
    for (const [name, create] of Object.entries(options.bffs ?? {}) as Array<[BffName, BffFactory]>) {
      rig.apps[name] = await rig.start(name, create);
    }
  } catch (err) {
    await rig.close();
    throw err;
  }
  return rig;
}
