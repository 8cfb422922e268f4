import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configLists, configSections, defaultConfig, type VigilConfig } from '@/lib/config/config-schema';
import type { ConfigProblem } from '@/lib/config/config-status';
import { crossReferenceProblems } from './config-references';

export type { ConfigProblem };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Paths in the file are relative to the file, not to wherever the process was started. */
export function resolvePaths(config: VigilConfig, baseDir: string): VigilConfig {
  const snapshots = config.snapshots;
  return {
    ...config,
    snapshots: {
      ...snapshots,
      store: snapshots.store ? path.resolve(baseDir, snapshots.store) : undefined,
      sources: snapshots.sources.map((source) => ({ ...source, path: path.resolve(baseDir, source.path) })),
    },
    logs: { ...config.logs, files: config.logs.files.map((file) => ({ ...file, path: path.resolve(baseDir, file.path) })) },
    integrity: { ...config.integrity, paths: config.integrity.paths.map((entry) => ({ ...entry, path: path.resolve(baseDir, entry.path) })) },
  };
}

/** The line of the node at `at`, or of its nearest ancestor that exists (a missing key is reported where its parent is). */
function lineOf(document: Document, lines: LineCounter, at: readonly PropertyKey[]): number | undefined {
  for (let depth = at.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? document.contents : document.getIn(at.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Parses and validates the file's text, every section and every list item. The result is the
 * configuration with each bad part left at its default, and every problem found: callers that
 * must not act on a half-valid file (the worker, `vigil config check`) refuse it when there is one.
 */
export function parseConfigText(
  text: string,
  baseDir: string,
  { withLines = false }: { withLines?: boolean } = {},
): { config: VigilConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const lines = new LineCounter();
  let document: unknown;
  let parsed: Document;
  try {
    parsed = parseDocument(text, { lineCounter: lines });
    if (parsed.errors.length > 0) {
      const [error] = parsed.errors;
      const line = error.linePos?.[0].line;
      return { config, problems: [{ field: '', message: `not valid YAML${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]}` }] };
    }
    document = parsed.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // toJS refuses alias bombs and the like: still the file's fault, never a crash.
    return { config, problems: [{ field: '', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isRecord(document)) return { config, problems: [{ field: '', message: 'must be a mapping of sections (modules, snapshots, …)' }] };
  const problems: ConfigProblem[] = [];
  // Lines are for people reading `vigil config check` or the log; callers comparing fields leave them out.
  const lineAt = (at: readonly PropertyKey[]): { line?: number } => {
    const line = withLines ? lineOf(parsed, lines, at) : undefined;
    return line === undefined ? {} : { line };
  };
  const known = [...Object.keys(configSections), ...Object.keys(configLists)];
  for (const key of Object.keys(document).filter((name) => !known.includes(name))) {
    problems.push({ field: key, ...lineAt([key]), message: `unknown section; known: ${known.join(', ')}` });
  }
  const sections = config as unknown as Record<string, unknown>;
  for (const [section, schema] of Object.entries(configSections) as [string, z.ZodType][]) {
    if (document[section] === undefined || document[section] === null) continue;
    const result = schema.safeParse(document[section]);
    if (result.success) sections[section] = result.data;
    else
      problems.push(
        ...result.error.issues.map((issue) => ({
          field: [section, ...issue.path.map(String)].join('.'),
          ...lineAt([section, ...issue.path]),
          message: issue.message,
        })),
      );
  }
  // Modules are known by name, status pages by slug.
  const identityOf = (item: unknown) => String((item as { name?: string; slug?: string }).name ?? (item as { slug?: string }).slug);
  for (const [section, schema] of Object.entries(configLists) as [string, z.ZodType][]) {
    const items = document[section];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      problems.push({ field: section, ...lineAt([section]), message: 'must be a list' });
      continue;
    }
    const valid: unknown[] = [];
    const names = new Set<string>();
    items.forEach((item, index) => {
      const key = isRecord(item) ? (item.name ?? item.slug) : undefined;
      const label = typeof key === 'string' ? `${section}.${key}` : `${section}.${index}`;
      const result = schema.safeParse(item);
      if (!result.success)
        problems.push(
          ...result.error.issues.map((issue) => ({
            field: [label, ...issue.path.map(String)].join('.'),
            ...lineAt([section, index, ...issue.path]),
            message: issue.message,
          })),
        );
      else if (names.has(identityOf(result.data)))
        problems.push({ field: label, ...lineAt([section, index]), message: 'a second entry with this name; the first one is kept' });
      else {
        names.add(identityOf(result.data));
        valid.push(result.data);
      }
    });
    sections[section] = valid;
  }
  // Only between sections that validated: a broken section is reported once, by its own problem.
  const brokenSections = new Set(problems.map((problem) => problem.field.split('.')[0]));
  if (!brokenSections.has('alerts') && !brokenSections.has('notifications')) problems.push(...crossReferenceProblems(config, lineAt));
  return { config: resolvePaths(config, baseDir), problems };
}
