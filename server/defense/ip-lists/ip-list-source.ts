import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { IP_LIST_LIMITS, IpListFormatError, IpListParser, type IpListLimits, type ParsedIpList } from '@/lib/defense/ip-list-format';

export interface IpListSourceOptions {
  /** The whole read, headers and body, must finish within this (a source that trickles is refused). */
  timeoutMs: number;
  limits?: IpListLimits;
}

/** A read that was refused; the message says why in words an operator can act on. */
export class IpListSourceError extends Error {}

/** Reads and parses one list from its file or URL; throws an IpListSourceError naming the fault. */
export async function readIpList(source: { path?: string; url?: string }, options: IpListSourceOptions): Promise<ParsedIpList> {
  const parser = new IpListParser(options.limits ?? IP_LIST_LIMITS);
  try {
    if (source.url !== undefined) await readUrl(source.url, parser, options);
    else await readFile(source.path!, parser, options);
    return parser.end();
  } catch (error) {
    if (error instanceof IpListFormatError || error instanceof IpListSourceError) throw new IpListSourceError(error.message);
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new IpListSourceError(`no complete answer within ${options.timeoutMs / 1000} s`);
    // fetch() says only "fetch failed"; what went wrong (ECONNREFUSED, bad port …) is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = (error as NodeJS.ErrnoException).code ?? cause?.code;
    throw new IpListSourceError(code ? `could not be read (${code})` : `could not be read: ${cause?.message ?? (error as Error).message}`);
  }
}

async function readUrl(url: string, parser: IpListParser, options: IpListSourceOptions): Promise<void> {
  const limits = options.limits ?? IP_LIST_LIMITS;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const response = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'text/plain, */*;q=0.5' } });
  const reader = response.body?.getReader();
  try {
    if (!response.ok) throw new IpListSourceError(`the server answered ${response.status}`);
    if (/html/i.test(response.headers.get('content-type') ?? '')) throw new IpListSourceError('the source answered with an HTML page, not a list of addresses');
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > limits.maxBytes) throw new IpListSourceError(`the list is larger than ${limits.maxBytes / 1024 / 1024} MiB`);
    if (!reader) return;
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }), value.byteLength);
    }
    parser.push(decoder.decode());
  } finally {
    // A refused list is not read to its end: the connection is dropped here.
    await reader?.cancel().catch(() => undefined);
  }
}

/**
 * The final component is opened with O_NOFOLLOW and must be a regular file; the directory is
 * refused when its real path differs from the one configured, i.e. when a symlink was placed
 * on the way. A symlink swapped in after that check can still only lead to a directory that
 * was real a moment before; the file itself never resolves through one.
 */
async function readFile(file: string, parser: IpListParser, options: IpListSourceOptions): Promise<void> {
  const limits = options.limits ?? IP_LIST_LIMITS;
  const directory = path.dirname(path.resolve(file));
  if ((await realpath(directory)) !== directory) throw new IpListSourceError(`${directory} leads through a symlink; a list is never read through one`);
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new IpListSourceError(`${file} is a symlink; a list is never read through one`);
    throw error;
  });
  const deadline = Date.now() + options.timeoutMs;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new IpListSourceError(`${file} is not a regular file`);
    if (stats.size > limits.maxBytes) throw new IpListSourceError(`the list is larger than ${limits.maxBytes / 1024 / 1024} MiB`);
    const decoder = new TextDecoder();
    // Small reads: each chunk is parsed before the next, and the guard answers in between.
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      if (Date.now() > deadline) throw new IpListSourceError(`no complete answer within ${options.timeoutMs / 1000} s`);
      parser.push(decoder.decode(buffer.subarray(0, bytesRead), { stream: true }), bytesRead);
    }
    parser.push(decoder.decode());
  } finally {
    await handle.close();
  }
}
