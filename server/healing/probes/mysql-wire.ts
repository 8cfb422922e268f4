import { createHash } from 'node:crypto';

/**
 * Just enough of the MySQL / MariaDB client protocol for a health probe: the handshake with
 * mysql_native_password, one text query, its rows. Packets are a 3-byte length, a sequence
 * number, then the payload.
 */
export const CLIENT = { LONG_PASSWORD: 0x1, CONNECT_WITH_DB: 0x8, PROTOCOL_41: 0x200, TRANSACTIONS: 0x2000, SECURE_CONNECTION: 0x8000, PLUGIN_AUTH: 0x80000 };

export function packet(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence;
  return Buffer.concat([header, payload]);
}

/** The length of the whole first packet in the buffer, once it has all arrived. */
export const packetLength = (buffer: Buffer): number | null =>
  buffer.length >= 4 && buffer.length >= 4 + buffer.readUIntLE(0, 3) ? 4 + buffer.readUIntLE(0, 3) : null;

const sha1 = (...parts: Buffer[]): Buffer => parts.reduce((hash, part) => hash.update(part), createHash('sha1')).digest();

/** SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))); empty for no password. */
export function nativePassword(password: string, seed: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const once = sha1(Buffer.from(password, 'utf8'));
  const mix = sha1(seed, sha1(once));
  return Buffer.from(once.map((byte, i) => byte ^ mix[i]));
}

export interface Handshake {
  serverVersion: string;
  seed: Buffer;
  plugin: string;
}

export function parseHandshake(payload: Buffer): Handshake {
  if (payload[0] === 0xff) throw new Error(errorMessage(payload));
  let at = 1;
  const versionEnd = payload.indexOf(0, at);
  const serverVersion = payload.subarray(at, versionEnd).toString('utf8');
  at = versionEnd + 1 + 4;
  const seed1 = payload.subarray(at, at + 8);
  at += 8 + 1 + 2 + 1 + 2 + 2;
  const authLength = payload[at];
  at += 1 + 10;
  const seed2 = payload.subarray(at, at + Math.max(13, authLength - 8) - 1);
  at += Math.max(13, authLength - 8);
  const pluginEnd = payload.indexOf(0, at);
  const plugin = payload.subarray(at, pluginEnd < 0 ? payload.length : pluginEnd).toString('utf8');
  return { serverVersion, seed: Buffer.concat([seed1, seed2]), plugin };
}

export function handshakeResponse(input: { user: string; password: string; database?: string; seed: Buffer }): Buffer {
  const flags =
    CLIENT.LONG_PASSWORD |
    CLIENT.PROTOCOL_41 |
    CLIENT.TRANSACTIONS |
    CLIENT.SECURE_CONNECTION |
    CLIENT.PLUGIN_AUTH |
    (input.database ? CLIENT.CONNECT_WITH_DB : 0);
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(flags, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 45; // utf8mb4_general_ci
  const auth = nativePassword(input.password, input.seed);
  return Buffer.concat([
    fixed,
    Buffer.from(`${input.user}\0`, 'utf8'),
    Buffer.from([auth.length]),
    auth,
    input.database ? Buffer.from(`${input.database}\0`, 'utf8') : Buffer.alloc(0),
    Buffer.from('mysql_native_password\0'),
  ]);
}

/** `ERR 1045 (28000): Access denied…` from an ERR packet's payload. */
export function errorMessage(payload: Buffer): string {
  const code = payload.readUInt16LE(1);
  const hasState = payload[3] === 0x23;
  return `ERR ${code}${hasState ? ` (${payload.subarray(4, 9).toString()})` : ''}: ${payload.subarray(hasState ? 9 : 3).toString('utf8')}`;
}

/** A length-encoded integer at `at`: its value and where the next field starts. */
export function lengthEncoded(payload: Buffer, at: number): { value: number | null; next: number } {
  const first = payload[at];
  if (first < 0xfb) return { value: first, next: at + 1 };
  if (first === 0xfb) return { value: null, next: at + 1 };
  if (first === 0xfc) return { value: payload.readUInt16LE(at + 1), next: at + 3 };
  if (first === 0xfd) return { value: payload.readUIntLE(at + 1, 3), next: at + 4 };
  return { value: Number(payload.readBigUInt64LE(at + 1)), next: at + 9 };
}

/** The length-encoded strings of a text row (or a column definition); null for SQL NULL. */
export function lengthEncodedStrings(payload: Buffer): (string | null)[] {
  const values: (string | null)[] = [];
  for (let at = 0; at < payload.length;) {
    const { value, next } = lengthEncoded(payload, at);
    if (value === null) {
      values.push(null);
      at = next;
    } else {
      values.push(payload.subarray(next, next + value).toString('utf8'));
      at = next + value;
    }
  }
  return values;
}

export const isEof = (payload: Buffer): boolean => payload[0] === 0xfe && payload.length < 9;
