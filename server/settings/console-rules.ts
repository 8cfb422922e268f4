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
 * Rules only the console applies. A snapshot source that is, holds or lies inside the data
 * directory would copy the live database and the snapshot store into itself. The check needs the
 * worker's data directory, which the file's schema does not know, and configs already written
 * with such a source keep loading as before; the console refuses it from now on.
 */
export function consoleOnlyProblems(section: EditableSection, value: unknown, { dataDir, configDir }: { dataDir: string; configDir: string }): string[] {
  if (section !== 'snapshots') return [];
  const data = located(dataDir, configDir);
  const sources = (value as { sources: { path: string }[] }).sources;
  return sources.flatMap((source, at) => {
    const where = located(source.path, configDir);
    return isWithin(where, data) || isWithin(data, where)
      ? [`snapshots.sources.${at}.path: must not be, hold or lie inside Vigil's data directory (${dataDir}): snapshots keep Vigil's own state already`]
      : [];
  });
}
