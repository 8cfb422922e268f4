import { realpathSync } from 'node:fs';
import path from 'node:path';
import { globBase, isWithin, normalisePath } from '@/lib/config/path-rules';
import type { FleetConfigContent } from '@/lib/fleet/fleet-config-api';

/**
 * Where a path really leads on this host: its longest existing ancestor with every symlink
 * resolved, then the rest as written. A link planted to lead into the data directory is seen
 * for what it points at.
 */
function realLocation(text: string): string {
  let existing = normalisePath(text);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      if (existing === '/') return normalisePath(text);
      rest.push(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
}

/**
 * What only the agent can check: none of the pushed paths may lead into its own data directory
 * (its database, keys and snapshot store). Watching it would report the agent's own writes as
 * tampering, and a snapshot of it would copy the store into itself.
 */
export function agentPathProblem(content: FleetConfigContent, dataDir: string): string | null {
  const own = realLocation(path.resolve(dataDir));
  const paths: Array<[string, string]> = [
    ...(content.integrityPaths ?? []).map((entry, index): [string, string] => [`integrityPaths.${index}.path`, entry.path]),
    ...(content.logSources ?? []).map((entry, index): [string, string] => [`logSources.${index}.path`, entry.path]),
    ...(content.snapshotSources ?? []).map((entry, index): [string, string] => [`snapshotSources.${index}.path`, entry.path]),
  ];
  for (const [field, text] of paths) {
    const where = realLocation(globBase(text));
    if (isWithin(where, own) || isWithin(own, where))
      return `${field}: ${text} leads into or holds this agent's data directory (${own}), which Vigil itself writes`;
  }
  return null;
}
