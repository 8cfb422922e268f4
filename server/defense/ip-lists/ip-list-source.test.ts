import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalsToCidrs } from '@/lib/defense/ip-intervals';
import { makeTempDir, type TempDir } from '../../test-support';
import { startStubHttpServer, type StubHttpServer } from '../../test-support/stub-http-server';
import { readIpList } from './ip-list-source';

/** Ten million addresses, generated as the client reads them: nothing is buffered whole. */
function* tenMillionLines(): Generator<string> {
  for (let block = 0; block < 10_000; block++) {
    let chunk = '';
    for (let i = 0; i < 1000; i++) {
      const n = block * 1000 + i;
      chunk += `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}\n`;
    }
    yield chunk;
  }
}

const SERVED: Record<string, (res: ServerResponse) => void> = {
  '/list.txt': (res) => res.end('# a list\n192.0.2.1\n198.51.100.0/24\n2001:db8::/32\n'),
  '/page': (res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>Sign in to continue</body></html>'),
  '/disguised-page': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('\n<!DOCTYPE html>\n<html></html>\n'),
  '/missing': (res) => res.writeHead(404).end('no'),
  '/malformed': (res) => res.end('192.0.2.1\n192.0.2.999\n'),
  '/slow': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).write('192.0.2.1\n'),
  '/huge': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    Readable.from(tenMillionLines())
      .pipe(res)
      .on('error', () => undefined);
  },
  '/declared-huge': (res) => res.writeHead(200, { 'content-length': String(65 * 1024 * 1024) }).write('192.0.2.1\n'),
};

let server: StubHttpServer;
let dir: TempDir;
let root: string;

beforeAll(async () => {
  server = await startStubHttpServer((request, res) => (SERVED[request.path] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res));
  dir = makeTempDir('vigil-ip-list-');
  root = realpathSync(dir.path);
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

const fromUrl = (path: string, timeoutMs = 5000) => readIpList({ url: `${server.url}${path}` }, { timeoutMs });
const fromFile = (path: string, limits?: { maxBytes: number; maxEntries: number; maxLineLength: number }) => readIpList({ path }, { timeoutMs: 5000, limits });

describe('reading a list from a URL', () => {
  it('reads and merges what the server sends', async () => {
    const list = await fromUrl('/list.txt');
    expect(list.entries).toBe(3);
    expect(intervalsToCidrs(list)).toEqual(['192.0.2.1', '198.51.100.0/24', '2001:db8::/32']);
  });

  it('refuses a server that never finishes its answer', async () => {
    await expect(fromUrl('/slow', 300)).rejects.toThrow('no complete answer within 0.3 s');
  });

  it('refuses an HTML page, by its content type or its content', async () => {
    await expect(fromUrl('/page')).rejects.toThrow('HTML page, not a list of addresses');
    await expect(fromUrl('/disguised-page')).rejects.toThrow('HTML page, not a list of addresses');
  });

  it('refuses ten million lines once the millionth entry is passed, without reading the rest', async () => {
    await expect(fromUrl('/huge', 60_000)).rejects.toThrow('the list has more than 1,000,000 entries');
  }, 60_000);

  it('refuses an answer that declares more than 64 MiB before reading it', async () => {
    await expect(fromUrl('/declared-huge')).rejects.toThrow('larger than 64 MiB');
  });

  it('names an error status, a malformed line and an unreachable server', async () => {
    await expect(fromUrl('/missing')).rejects.toThrow('the server answered 404');
    await expect(fromUrl('/malformed')).rejects.toThrow('line 2: "192.0.2.999" is not an IP address or CIDR range');
    const closed = await startStubHttpServer(() => undefined);
    await closed.close();
    await expect(readIpList({ url: `${closed.url}/list` }, { timeoutMs: 2000 })).rejects.toThrow('could not be read (ECONNREFUSED)');
    await expect(readIpList({ url: 'http://127.0.0.1:1/list' }, { timeoutMs: 2000 })).rejects.toThrow('could not be read: bad port');
  });
});

describe('reading a list from a file', () => {
  it('reads a FireHOL netset', async () => {
    const file = `${root}/firehol_level1.netset`;
    writeFileSync(file, '#\n# firehol_level1\n#\n0.0.0.0/8\n1.10.16.0/20\n1.10.16.0/21\n');
    expect(intervalsToCidrs(await fromFile(file))).toEqual(['0.0.0.0/8', '1.10.16.0/20']);
  });

  it('never follows a symlink placed at the file or on the way to it', async () => {
    writeFileSync(`${root}/real.txt`, '192.0.2.1\n');
    symlinkSync(`${root}/real.txt`, `${root}/link.txt`);
    mkdirSync(`${root}/lists`);
    writeFileSync(`${root}/lists/inner.txt`, '192.0.2.1\n');
    symlinkSync(`${root}/lists`, `${root}/linked-dir`);
    await expect(fromFile(`${root}/link.txt`)).rejects.toThrow('is a symlink; a list is never read through one');
    await expect(fromFile(`${root}/linked-dir/inner.txt`)).rejects.toThrow(`${root}/linked-dir leads through a symlink`);
  });

  it('refuses what is not a regular file, an absent file and one past the size limit', async () => {
    execFileSync('mkfifo', [`${root}/pipe`]);
    await expect(fromFile(`${root}/pipe`)).rejects.toThrow('is not a regular file');
    await expect(fromFile(root)).rejects.toThrow('is not a regular file');
    await expect(fromFile(`${root}/absent.txt`)).rejects.toThrow('could not be read (ENOENT)');
    writeFileSync(`${root}/big.txt`, '192.0.2.1\n'.repeat(200));
    await expect(fromFile(`${root}/big.txt`, { maxBytes: 1000, maxEntries: 1000, maxLineLength: 100 })).rejects.toThrow('larger than');
  });
});
