import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput, type KeyLike } from 'jose';
import { request } from 'undici';
import { AuthUnavailableError } from './auth.errors';

export interface JwksOptions {
  /** Whole fetch (headers and body) must finish within this. */
  timeoutMs: number;
  /** Refetch the set this often even when every kid is known. */
  maxAgeMs: number;
  /** At most one refetch per this period for unknown kids (forged kids must not hammer identity). */
  cooldownMs: number;
}

/**
 * The identity's key set, fetched with a limit on the whole answer (jose 5's remote set only limits
 * the headers: a stalled body would leave its one shared fetch pending for ever). A failed fetch is
 * AuthUnavailableError (503), never a 401, and the next call tries again.
 */
export class JwksKeySource {
  private local?: ReturnType<typeof createLocalJWKSet>;
  private fetchedAt = 0;
  private pending?: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly options: JwksOptions,
  ) {}

  /** A key resolver for jwtVerify. */
  readonly resolve = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike | Uint8Array> => {
    const age = Date.now() - this.fetchedAt;
    if (!this.local || age > this.options.maxAgeMs) await this.refresh();
    try {
      return await this.local!(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || age < this.options.cooldownMs) throw err;
      await this.refresh(); // a rotated key: look once more
      return this.local!(header, token);
    }
  };

  private refresh(): Promise<void> {
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<void> {
    let set: unknown;
    try {
      const res = await request(this.url, { signal: AbortSignal.timeout(this.options.timeoutMs), headers: { accept: 'application/json' } });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`status ${res.statusCode}`);
      }
      set = await res.body.json();
    } catch {
      throw new AuthUnavailableError('The key set could not be fetched');
    }
    if (typeof set !== 'object' || set === null || !Array.isArray((set as { keys?: unknown }).keys)) {
      throw new AuthUnavailableError('The key set is invalid');
    }
    this.local = createLocalJWKSet(set as JSONWebKeySet);
    this.fetchedAt = Date.now();
  }
}
