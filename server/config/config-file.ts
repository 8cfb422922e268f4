import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { configLists, configSections, defaultConfig, type VigilConfig } from '@/lib/config/config-schema';

export interface ConfigProblem {
  /** Dotted path of the bad field, e.g. `snapshots.sources.0.path`; empty for the whole file. */
  field: string;
  message: string;
}

export interface LoadedConfig {
  file: string;
  exists: boolean;
  config: VigilConfig;
  /** Each bad field; its section falls back to defaults while the others load. */
  problems: ConfigProblem[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function zodProblems(section: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ field: [section, ...issue.path.map(String)].join('.'), message: issue.message }));
}

/** Paths in the file are relative to the file, not to wherever the process was started. */
function resolvePaths(config: VigilConfig, baseDir: string): VigilConfig {
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

export function parseConfigText(text: string, baseDir: string): { config: VigilConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    return { config, problems: [{ field: '', message: `not valid YAML${where}: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isRecord(document)) return { config, problems: [{ field: '', message: 'must be a mapping of sections (modules, snapshots, …)' }] };
  const problems: ConfigProblem[] = [];
  const sections = config as unknown as Record<string, unknown>;
  for (const [section, schema] of Object.entries(configSections) as [string, z.ZodType][]) {
    if (document[section] === undefined || document[section] === null) continue;
    const result = schema.safeParse(document[section]);
    if (result.success) sections[section] = result.data;
    else problems.push(...zodProblems(section, result.error));
  }
  for (const [section, schema] of Object.entries(configLists) as [string, z.ZodType][]) {
    const items = document[section];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      problems.push({ field: section, message: 'must be a list' });
      continue;
    }
    const valid: unknown[] = [];
    const names = new Set<string>();
    items.forEach((item, index) => {
      const label = isRecord(item) && typeof item.name === 'string' ? `${section}.${item.name}` : `${section}.${index}`;
      const result = schema.safeParse(item);
      if (!result.success) problems.push(...zodProblems(label, result.error));
      else if (names.has((result.data as { name: string }).name)) problems.push({ field: label, message: 'a second entry with this name; the first one is kept' });
      else {
        names.add((result.data as { name: string }).name);
        valid.push(result.data);
      }
    });
    sections[section] = valid;
  }
  return { config: resolvePaths(config, baseDir), problems };
}

/** A missing file is an empty configuration, not an error: a new install has none. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, exists: false, config: defaultConfig(), problems: [] };
    return { file, exists: false, config: defaultConfig(), problems: [{ field: '', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}` }] };
  }
  return { file, exists: true, ...parseConfigText(text, path.dirname(file)) };
}

/**
 * Reloads the file when it changes. Polling stat (not inotify) follows editors that save
 * by writing a new file and renaming it over the old one.
 */
export class ConfigWatcher {
  private current: LoadedConfig;
  private readonly listeners = new Set<(config: LoadedConfig) => void>();
  private watching = false;

  constructor(
    private readonly file: string,
    private readonly intervalMs = 1000,
  ) {
    this.current = loadConfigFile(file);
  }

  get loaded(): LoadedConfig {
    return this.current;
  }

  onChange(listener: (config: LoadedConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.watching) return;
    this.watching = true;
    watchFile(this.file, { interval: this.intervalMs, persistent: false }, () => this.reload());
  }

  reload(): LoadedConfig {
    this.current = loadConfigFile(this.file);
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    unwatchFile(this.file);
  }

}
