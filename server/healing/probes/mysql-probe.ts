import type { MysqlModule } from '@/lib/healing/monitor-kinds-schema';
import { readNamedSecret } from '../../env/named-secrets';
import {
  errorMessage,
  handshakeResponse,
  isEof,
  lengthEncoded,
  lengthEncodedStrings,
  nativePassword,
  packet,
  packetLength,
  parseHandshake,
} from './mysql-wire';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';
import { SocketConversation } from './socket-conversation';

const MAX_ROWS = 100;

class MysqlRefused extends Error {}

async function readPacket(conversation: SocketConversation): Promise<{ sequence: number; payload: Buffer }> {
  const raw = await conversation.until(packetLength);
  return { sequence: raw[3], payload: raw.subarray(4) };
}

async function authenticate(conversation: SocketConversation, module: MysqlModule, password: string): Promise<string> {
  const hello = parseHandshake((await readPacket(conversation)).payload);
  conversation.write(packet(1, handshakeResponse({ user: module.user, password, database: module.database, seed: hello.seed })));
  let answer = await readPacket(conversation);
  if (answer.payload[0] === 0xfe) {
    // Auth switch: the server wants another plugin; only mysql_native_password is spoken here.
    const nameEnd = answer.payload.indexOf(0, 1);
    const plugin = answer.payload.subarray(1, nameEnd).toString();
    if (plugin !== 'mysql_native_password')
      throw new MysqlRefused(`the server asks for ${plugin}, which this probe does not speak (use mysql_native_password)`);
    const seed = answer.payload.subarray(nameEnd + 1, nameEnd + 21);
    conversation.write(packet(answer.sequence + 1, nativePassword(password, seed)));
    answer = await readPacket(conversation);
  }
  if (answer.payload[0] === 0xff) throw new MysqlRefused(errorMessage(answer.payload));
  if (answer.payload[0] !== 0x00) throw new MysqlRefused('unexpected answer to the handshake');
  return hello.serverVersion;
}

/** COM_QUERY, then column definitions and text rows up to MAX_ROWS, as objects by column name. */
async function query(conversation: SocketConversation, sql: string): Promise<Record<string, string | null>[]> {
  conversation.write(packet(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(sql, 'utf8')])));
  const first = (await readPacket(conversation)).payload;
  if (first[0] === 0xff) throw new MysqlRefused(errorMessage(first));
  if (first[0] === 0x00) return [];
  const columns = lengthEncoded(first, 0).value ?? 0;
  const names: string[] = [];
  for (let i = 0; i < columns; i++) names.push(lengthEncodedStrings((await readPacket(conversation)).payload)[4] ?? `column${i}`);
  // Without CLIENT_DEPRECATE_EOF an EOF packet closes the column definitions, another the rows.
  const afterColumns = (await readPacket(conversation)).payload;
  if (!isEof(afterColumns)) throw new MysqlRefused('unexpected packet after the column definitions');
  const rows: Record<string, string | null>[] = [];
  for (;;) {
    const { payload } = await readPacket(conversation);
    if (payload[0] === 0xff) throw new MysqlRefused(errorMessage(payload));
    if (isEof(payload)) return rows;
    if (rows.length < MAX_ROWS) {
      const values = lengthEncodedStrings(payload);
      rows.push(Object.fromEntries(names.map((name, i) => [name, values[i] ?? null])));
    }
  }
}

/** Log in (root without a password unless told otherwise), run the query (SELECT 1), quit. */
export async function probeMysql(module: MysqlModule): Promise<ProbeResult> {
  const password = module.passwordEnv ? readNamedSecret(module.passwordEnv) : '';
  if (password === undefined) return failed('probe_failed', `${module.passwordEnv} is not set in the worker's environment`);
  const started = performance.now();
  let conversation: SocketConversation | undefined;
  try {
    conversation = await SocketConversation.open(module.host, module.port, module.timeoutSeconds * 1000);
    const version = await authenticate(conversation, module, password);
    const rows = await query(conversation, module.query);
    const latencyMs = elapsedMs(started);
    conversation.write(packet(0, Buffer.from([0x01])));
    return {
      ok: true,
      latencyMs,
      message: `${version}: ${rows.length} row(s) in ${latencyMs} ms`,
      facts: { connected: true, responseTimeMs: latencyMs, body: JSON.stringify(rows) },
    };
  } catch (error) {
    if (error instanceof MysqlRefused) return failed('probe_failed', `MySQL ${error.message}`, elapsedMs(started));
    return networkFailure(error as NodeJS.ErrnoException, started);
  } finally {
    conversation?.close();
  }
}
