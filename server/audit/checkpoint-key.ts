import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '@/lib/canonical-json';
import { EnvError } from '../env/env-error';

/** What a checkpoint signs: the chain's state at `seq`, at a time, by a key. */
export interface CheckpointClaim {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointClaim {
  signature: string;
}

/** A configuration error: the worker does not start and the CLI exits 2. */
export class CheckpointKeyError extends EnvError {
  constructor(message: string) {
    super(`VIGIL_AUDIT_KEY_PATH: ${message}`);
    this.name = 'CheckpointKeyError';
  }
}

export interface CheckpointVerifyKey {
  keyId: string;
  publicKey: KeyObject;
  publicKeyPem: string;
}

export interface CheckpointKey extends CheckpointVerifyKey {
  privateKey: KeyObject;
  file: string;
}

/** First 16 hex characters of SHA-256 over the public key's DER: short, stable, enough to tell keys apart. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function verifyKeyFromPem(pem: string): CheckpointVerifyKey {
  const publicKey = createPublicKey(pem);
  return { keyId: keyIdOf(publicKey), publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function fromPrivatePem(pem: string, file: string): CheckpointKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new CheckpointKeyError(`${file} does not hold a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new CheckpointKeyError(`${file} holds a ${privateKey.asymmetricKeyType} key; an Ed25519 key is required`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, file, keyId: keyIdOf(publicKey), publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * Reads the signing key, refusing a file others could read: a key anyone on the host can
 * read lets them re-sign a rewritten chain. With `create`, a missing key is generated
 * (mode 0600); without it (the CLI), a missing key is null.
 */
export function loadCheckpointKey(file: string, { create }: { create: boolean }): CheckpointKey | null {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new CheckpointKeyError(`cannot read ${file} (${code ?? 'error'})`);
    if (!create) return null;
    return createKeyFile(file);
  }
  if ((mode & 0o077) !== 0) {
    throw new CheckpointKeyError(`${file} has mode ${mode.toString(8).padStart(4, '0')}; it must not be readable by others (chmod 600 ${file})`);
  }
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CheckpointKeyError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return fromPrivatePem(pem, file);
}

function createKeyFile(file: string): CheckpointKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadCheckpointKey(file, { create: false })!;
    throw new CheckpointKeyError(`cannot create ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return fromPrivatePem(pem, file);
}

function claimBytes({ seq, hash, at, keyId }: CheckpointClaim): Buffer {
  return Buffer.from(canonicalJson({ seq, hash, at, keyId }));
}

export function signCheckpoint(key: CheckpointKey, claim: Omit<CheckpointClaim, 'keyId'>): SignedCheckpoint {
  const full = { seq: claim.seq, hash: claim.hash, at: claim.at, keyId: key.keyId };
  return { ...full, signature: sign(null, claimBytes(full), key.privateKey).toString('base64') };
}

/** True only when the checkpoint was signed by this key over exactly these fields. */
export function checkpointSignatureValid(key: CheckpointVerifyKey, checkpoint: SignedCheckpoint): boolean {
  if (checkpoint.keyId !== key.keyId) return false;
  try {
    return verify(null, claimBytes(checkpoint), key.publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}
