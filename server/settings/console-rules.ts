import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { EditableSection } from '@/lib/settings/editable-sections';
import { isWithin } from '@/lib/config/path-rules';

/** Where a path really is: symlinks followed as the snapshot walk will follow them; as written when it does not exist yet. */
function located(text: string, base: string): string {
  const absolute = path.resolve(base, text);
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

/**
 * Rules only the console applies. A snapshot source that is or holds the data directory, or lies
 * inside the snapshot store, would copy the live database and the store into themselves (a site
 * kept elsewhere under the data directory is fine). The check needs the worker's data directory,
 * which the file's schema does not know, and configs already written with such a source keep
 * loading as before; the console refuses it from now on.
 */
export function consoleOnlyProblems(section: EditableSection, value: unknown, { dataDir, configDir }: { dataDir: string; configDir: string }): string[] {
  if (section !== 'snapshots') return [];
  const data = located(dataDir, configDir);
  const { sources, store } = value as { sources: { path: string }[]; store?: string };
  const snapshotStore = located(store ?? path.join(dataDir, 'snapshots'), configDir);
  return sources.flatMap((source, at) => {
    const where = located(source.path, configDir);
    return isWithin(data, where) || isWithin(where, snapshotStore)
      ? [
          `snapshots.sources.${at}.path: must not be or hold Vigil's data directory (${dataDir}), nor lie inside the snapshot store: snapshots keep Vigil's own state already`,
        ]
      : [];
  });
}
