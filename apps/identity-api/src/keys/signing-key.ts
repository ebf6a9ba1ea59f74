import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8, type JWK } from 'jose';

export const SIGNING_ALG = 'RS256';

/** The RSA key tokens are signed with, and its public half as published in the JWKS. */
export class SigningKey {
  private constructor(
    readonly privateKey: KeyObject,
    readonly kid: string,
    readonly publicJwk: JWK,
  ) {}

  /**
   * From a PKCS#8 PEM when one is given (stable across restarts and replicas), else a fresh
   * pair: tokens issued before a restart then stop verifying, which is fine for a sample.
   */
  static async create(privateKeyPem?: string): Promise<SigningKey> {
    let privateKey: KeyObject;
    if (privateKeyPem) {
      // Env files often carry PEMs on one line with literal "\n".
      privateKey = (await importPKCS8(privateKeyPem.replace(/\\n/g, '\n'), SIGNING_ALG)) as KeyObject;
      if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('The private key is not an RSA key');
    } else {
      ({ privateKey } = (await generateKeyPair(SIGNING_ALG, { modulusLength: 2048 })) as { privateKey: KeyObject });
    }
    const jwk = await exportJWK(createPublicKey(privateKey));
    // The RFC 7638 thumbprint is a kid that changes exactly when the key changes.
    const kid = await calculateJwkThumbprint(jwk);
    return new SigningKey(privateKey, kid, { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' });
  }
}
