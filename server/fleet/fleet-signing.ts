import { createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import type { FleetCommand } from '@/lib/fleet/fleet-api';
import type { FleetConfigPush } from '@/lib/fleet/fleet-config-api';

/**
 * What each side signs. Every statement starts with its purpose, so a signature made for one
 * (a challenge) can never be presented as another (a command).
 */
const challengeBytes = (nonce: string) => Buffer.from(`vigil-fleet-challenge\n${nonce}`);
const helloBytes = (nonce: string, hostId: number) => Buffer.from(`vigil-fleet-hello\n${nonce}\n${hostId}`);
const commandBytes = (command: FleetCommand) => Buffer.from(`vigil-fleet-command\n${canonicalJson(command)}`);
const configBytes = (push: FleetConfigPush) => Buffer.from(`vigil-fleet-config\n${canonicalJson(push)}`);

/** 32 random bytes, base64url: 43 characters. */
export const newNonce = () => randomBytes(32).toString('base64url');

export function signedBy(publicKey: KeyObject | string, bytes: Buffer, signature: string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return key.asymmetricKeyType === 'ed25519' && verify(null, bytes, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export const signWith = (privateKey: KeyObject, bytes: Buffer) => sign(null, bytes, privateKey).toString('base64');

export const signChallenge = (consoleKey: KeyObject, nonce: string) => signWith(consoleKey, challengeBytes(nonce));
export const challengeSignedBy = (consoleKey: KeyObject | string, nonce: string, signature: string) => signedBy(consoleKey, challengeBytes(nonce), signature);

export const signHello = (agentKey: KeyObject, nonce: string, hostId: number) => signWith(agentKey, helloBytes(nonce, hostId));
export const helloSignedBy = (agentKey: string, nonce: string, hostId: number, signature: string) => signedBy(agentKey, helloBytes(nonce, hostId), signature);

export const signCommand = (consoleKey: KeyObject, command: FleetCommand) => signWith(consoleKey, commandBytes(command));
export const commandSignedBy = (consoleKey: KeyObject | string, command: FleetCommand, signature: string) =>
  signedBy(consoleKey, commandBytes(command), signature);

export const signConfigPush = (consoleKey: KeyObject, push: FleetConfigPush) => signWith(consoleKey, configBytes(push));
export const configPushSignedBy = (consoleKey: KeyObject | string, push: FleetConfigPush, signature: string) =>
  signedBy(consoleKey, configBytes(push), signature);

/** True when an Ed25519 SPKI PEM parses; the schema checks only its shape. */
export function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/**
 * Nonces seen until their command expires: a command seen once is refused the second time, and
 * an expired one is refused by its expiry, so the set never holds more than the live window.
 */
export class ReplayGuard {
  private readonly seen: Map<string, number>;

  /** `seen`: nonces and their expiry carried over from before a restart. */
  constructor(seen: Iterable<[string, number]> = []) {
    this.seen = new Map(seen);
  }

  /** The nonces still held, with the time each may be forgotten. */
  entries(): Array<[string, number]> {
    return [...this.seen];
  }

  /** True the first time a nonce is offered before `expiresAtMs`; false for a replay. */
  accept(nonce: string, expiresAtMs: number, nowMs = Date.now()): boolean {
    for (const [old, until] of this.seen) if (until < nowMs) this.seen.delete(old);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, expiresAtMs);
    return true;
  }
}
