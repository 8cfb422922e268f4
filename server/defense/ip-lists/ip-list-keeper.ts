import { mkdir, open, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BlocklistSource } from '@/lib/defense/blocklist-config';
import { intervalsToCidrs, type FamilyIntervals } from '@/lib/defense/ip-intervals';
import { writeFileAtomic } from '../../recovery/fs-atomic';
import { readIpList } from './ip-list-source';

/** The first line of a kept list: the list parser skips it as a comment. */
const HEADER_PREFIX = '# vigil-blocklist ';
const HEADER_MAX_BYTES = 8192;

const headerSchema = z
  .object({
    url: z.string().optional(),
    path: z.string().optional(),
    entries: z.number().int().min(0),
    excluded: z.number().int().min(0),
    readAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .strict();

export interface KeptList {
  intervals: FamilyIntervals;
  /** Entries as the source listed them, and those the exclusions touched, at the read that was kept. */
  entries: number;
  excluded: number;
  readAt: string;
  expiresAtMs: number;
}

/**
 * The last good read of each list, kept in the data directory so a restarted worker enforces
 * what was in force before it went down, until the same expiry, even when the source cannot be
 * reached at start. One file per list, written atomically: its header line (the source and the
 * counts) and the enforced ranges travel together.
 */
export class IpListKeeper {
  constructor(private readonly dir: string) {}

  async save(source: BlocklistSource, list: KeptList): Promise<void> {
    const header = headerSchema.parse({
      url: source.url,
      path: source.path,
      entries: list.entries,
      excluded: list.excluded,
      readAt: list.readAt,
      expiresAt: new Date(list.expiresAtMs).toISOString(),
    });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.fileOf(source.name), `${HEADER_PREFIX}${JSON.stringify(header)}\n${intervalsToCidrs(list.intervals).join('\n')}\n`, 0o600);
  }

  /** The kept read of this very source that has not expired yet; null when there is none (or it is not one Vigil wrote). */
  async load(source: BlocklistSource, { now, timeoutMs }: { now: number; timeoutMs: number }): Promise<KeptList | null> {
    // The list reader refuses a directory reached through a symlink: read it by its real path.
    const file = path.join(await realpath(this.dir).catch(() => this.dir), path.basename(this.fileOf(source.name)));
    const header = await readHeader(file);
    if (!header || header.url !== source.url || header.path !== source.path) return null;
    const expiresAtMs = Date.parse(header.expiresAt);
    if (expiresAtMs <= now) return null;
    const parsed = await readIpList({ path: file }, { timeoutMs });
    return { intervals: { v4: parsed.v4, v6: parsed.v6 }, entries: header.entries, excluded: header.excluded, readAt: header.readAt, expiresAtMs };
  }

  /** A list taken out of the configuration is not brought back by a later start. */
  async forget(name: string): Promise<void> {
    await rm(this.fileOf(name), { force: true });
  }

  private fileOf(name: string): string {
    // Names are [a-z0-9_-] (the config schema), so they are safe as file names.
    return path.join(this.dir, `${name}.netset`);
  }
}

async function readHeader(file: string): Promise<z.infer<typeof headerSchema> | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const buffer = Buffer.alloc(HEADER_MAX_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const line = buffer.subarray(0, bytesRead).toString('utf8').split('\n', 1)[0];
    if (!line.startsWith(HEADER_PREFIX)) return null;
    const parsed = headerSchema.safeParse(JSON.parse(line.slice(HEADER_PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
