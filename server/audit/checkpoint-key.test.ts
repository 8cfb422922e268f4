import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { makeTempDir, type TempDir } from '../test-support';
import { EnvError } from '../env/env-error';
import { checkpointSignatureValid, CheckpointKeyError, loadCheckpointKey, signCheckpoint, verifyKeyFromPem } from './checkpoint-key';

describe('checkpoint signing key', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('is created once with mode 0600 and read back the same', () => {
    const file = tmp.join('keys', 'audit.key');
    expect(loadCheckpointKey(file, { create: false })).toBeNull();
    const created = loadCheckpointKey(file, { create: true })!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(created.keyId).toMatch(/^[0-9a-f]{16}$/);
    const again = loadCheckpointKey(file, { create: true })!;
    expect(again.keyId).toBe(created.keyId);
    expect(verifyKeyFromPem(created.publicKeyPem).keyId).toBe(created.keyId);
  });

  it('refuses a key others can read, naming the variable', () => {
    const file = tmp.join('audit.key');
    loadCheckpointKey(file, { create: true });
    chmodSync(file, 0o644);
    expect(() => loadCheckpointKey(file, { create: true })).toThrow(CheckpointKeyError);
    expect(() => loadCheckpointKey(file, { create: true })).toThrow(/VIGIL_AUDIT_KEY_PATH: .*mode 0644.*chmod 600/);
    chmodSync(file, 0o640);
    expect(() => loadCheckpointKey(file, { create: false })).toThrow(EnvError);
  });

  it('refuses an unreadable path, a non-key and a key of another kind', () => {
    const dir = tmp.join('a-directory');
    mkdirSync(dir, { mode: 0o700 });
    expect(() => loadCheckpointKey(dir, { create: true })).toThrow(/cannot read/);
    const junk = tmp.join('junk.key');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    expect(() => loadCheckpointKey(junk, { create: true })).toThrow(/does not hold a PEM private key/);
    const rsa = tmp.join('rsa.key');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    expect(() => loadCheckpointKey(rsa, { create: true })).toThrow(/Ed25519 key is required/);
    expect(() => loadCheckpointKey(tmp.join('no-dir-perm', 'x', 'k'), { create: true })).not.toThrow();
  });

  it('signs the claim and nothing else', () => {
    const key = loadCheckpointKey(tmp.join('audit.key'), { create: true })!;
    const other = loadCheckpointKey(tmp.join('other.key'), { create: true })!;
    const signed = signCheckpoint(key, { seq: 7, hash: 'a'.repeat(64), at: '2026-11-23T00:00:00.000Z' });
    expect(checkpointSignatureValid(key, signed)).toBe(true);
    expect(checkpointSignatureValid(key, { ...signed, seq: 8 })).toBe(false);
    expect(checkpointSignatureValid(key, { ...signed, hash: 'b'.repeat(64) })).toBe(false);
    expect(checkpointSignatureValid(key, { ...signed, signature: 'garbage' })).toBe(false);
    expect(checkpointSignatureValid(other, signed)).toBe(false);
    expect(checkpointSignatureValid(other, { ...signed, keyId: other.keyId })).toBe(false);
  });
});
