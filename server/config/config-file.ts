import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import path from 'node:path';
import { defaultConfig, type VigilConfig } from '@/lib/config/config-schema';
import { describeConfigProblem, type ConfigProblem, type ConfigStatus } from '@/lib/config/config-status';
import { EnvError } from '../env/env-error';
import type { EditableSectionValues } from '@/lib/settings/editable-sections';
import type { FleetConfigContent } from '@/lib/fleet/fleet-config-api';
import { withAssignedParts } from '@/lib/fleet/fleet-config-merge';
import { parseConfigText, resolvePaths } from './config-parse';

export { parseConfigText, type ConfigProblem };

export interface LoadedConfig {
  file: string;
  exists: boolean;
  config: VigilConfig;
  /** Each bad field; a file with any is refused by the worker and by `vigil config check`. */
  problems: ConfigProblem[];
}

/** What /healthz may say of the configuration: public, so no error text. */
export interface ConfigSummary {
  ok: boolean;
  since: string;
}

/** A start with a configuration file that does not validate stops, like a bad variable does. */
export class ConfigFileError extends EnvError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`VIGIL_CONFIG: ${file} is not valid:\n${problems.map((p) => `  ${describeConfigProblem(p)}`).join('\n')}`);
    this.name = 'ConfigFileError';
  }
}

function readProblem(bytes: Buffer): ConfigProblem | null {
  // An editor that truncates and then writes is seen half way often enough: an empty file is
  // never taken as "no modules". To mean nothing configured, say so (`modules: []`) or remove the file.
  if (bytes.toString('utf8').trim() === '')
    return { field: '', message: 'the file is empty; write `modules: []` for an empty configuration, or remove the file' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { field: '', message: 'not UTF-8 text (a binary file?)' };
  }
  return bytes.includes(0) ? { field: '', message: 'holds a NUL byte (a binary file?)' } : null;
}

/** A missing file is an empty configuration, not an error: a new install has none. */
export function loadConfigFile(file: string): LoadedConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, exists: false, config: defaultConfig(), problems: [] };
    return {
      file,
      exists: false,
      config: defaultConfig(),
      problems: [{ field: '', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}` }],
    };
  }
  const problem = readProblem(bytes);
  if (problem) return { file, exists: true, config: defaultConfig(), problems: [problem] };
  return { file, exists: true, ...parseConfigText(bytes.toString('utf8'), path.dirname(file), { withLines: true }) };
}

const readBytes = (file: string): string | null => {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return null;
  }
};

/**
 * Reloads the file when it changes, all or nothing: a file that does not validate leaves the
 * last good configuration in force (modules keep running) and is reported, never half applied.
 * Polling stat (not inotify) follows editors that save by writing a new file and renaming it
 * over the old one; a change is read again after `settleMs` until two reads agree, so a save
 * caught half written is not what gets applied.
 */
export class ConfigWatcher {
  /** The file as last accepted. */
  private current: LoadedConfig;
  /** Sections an admin set in the console; each replaces the file's section whole. */
  private consoleSections: EditableSectionValues = {};
  /** Parts the fleet's console assigned to this host (agent mode); each replaces the same part of what is above. */
  private fleetParts: FleetConfigContent | null = null;
  private merged: LoadedConfig;
  private state: ConfigStatus;
  private readonly listeners = new Set<(config: LoadedConfig) => void>();
  private readonly rejectionListeners = new Set<(status: ConfigStatus) => void>();
  private watching = false;
  private settling: Promise<void> | null = null;
  /** When `ok` last changed (or the start): a run of refusals, or of good saves, is one period. */
  private okSince: string;

  constructor(
    private readonly file: string,
    private readonly intervalMs = 1000,
    private readonly settleMs = 100,
  ) {
    this.current = loadConfigFile(file);
    if (this.current.problems.length > 0) throw new ConfigFileError(file, this.current.problems);
    this.merged = this.current;
    const now = new Date().toISOString();
    this.state = { ok: true, file, at: now, appliedAt: now, error: null, problems: [] };
    this.okSince = now;
  }

  /** What is in force: the file, with the console's sections in place of the file's. */
  get loaded(): LoadedConfig {
    return this.merged;
  }

  /** The file alone, as last accepted: what "revert to file" goes back to. */
  get fromFile(): LoadedConfig {
    return this.current;
  }

  /**
   * Puts the console's sections in force (each already validated by the file's own schema) and
   * tells every listener, as a reloaded file does: the capabilities reconfigure without a restart.
   */
  setConsoleSections(sections: EditableSectionValues): LoadedConfig {
    this.consoleSections = { ...sections };
    this.merge();
    for (const listener of this.listeners) listener(this.merged);
    return this.merged;
  }

  /** As setConsoleSections, for the parts the fleet's console pushed (already validated, absolute paths); null removes them. */
  setFleetParts(content: FleetConfigContent | null): LoadedConfig {
    this.fleetParts = content;
    this.merge();
    for (const listener of this.listeners) listener(this.merged);
    return this.merged;
  }

  private merge(): void {
    // Console paths resolve as the file's do (relative to the file), so both read the same way.
    const config = resolvePaths({ ...this.current.config, ...this.consoleSections } as VigilConfig, path.dirname(this.file));
    this.merged = { ...this.current, config: this.fleetParts ? withAssignedParts(config, this.fleetParts) : config };
  }

  /** Whether the file on disk is what is in force, and why not. */
  get status(): ConfigStatus {
    return this.state;
  }

  /** Whether the file is in force and since when, without a word of why: a parse error can quote the file. */
  get summary(): ConfigSummary {
    return { ok: this.state.ok, since: this.okSince };
  }

  onChange(listener: (config: LoadedConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A changed file that was refused: the last good configuration stays in force. */
  onRejected(listener: (status: ConfigStatus) => void): () => void {
    this.rejectionListeners.add(listener);
    return () => this.rejectionListeners.delete(listener);
  }

  start(): void {
    if (this.watching) return;
    this.watching = true;
    watchFile(this.file, { interval: this.intervalMs, persistent: false }, () => void this.reloadWhenSettled());
  }

  private reloadWhenSettled(): Promise<void> {
    this.settling ??= (async () => {
      let seen = readBytes(this.file);
      for (let reads = 0; reads < 20; reads++) {
        await new Promise((resolve) => setTimeout(resolve, this.settleMs));
        const again = readBytes(this.file);
        if (again === seen) break;
        seen = again;
      }
      this.settling = null;
      if (this.watching) this.reload();
    })();
    return this.settling;
  }

  /** Reads the file now; resolves with the configuration in force afterwards (the last good one if it was refused). */
  reload(): LoadedConfig {
    const next = loadConfigFile(this.file);
    const at = new Date().toISOString();
    const problems =
      next.problems.length > 0
        ? next.problems
        : !next.exists && this.current.exists
          ? [{ field: '', message: 'the file is gone (deleted, or moved away); remove its modules by saving `modules: []` instead' }]
          : [];
    if (problems.length > 0) {
      if (this.state.ok) this.okSince = at;
      this.state = {
        ok: false,
        file: this.file,
        at,
        appliedAt: this.state.appliedAt,
        error: `${problems.length === 1 ? 'the file was' : `${problems.length} problems; the file was`} not applied: ${describeConfigProblem(problems[0])}`,
        problems,
      };
      for (const listener of this.rejectionListeners) listener(this.state);
      return this.merged;
    }
    this.current = next;
    this.merge();
    if (!this.state.ok) this.okSince = at;
    this.state = { ok: true, file: this.file, at, appliedAt: at, error: null, problems: [] };
    for (const listener of this.listeners) listener(this.merged);
    return this.merged;
  }

  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    unwatchFile(this.file);
  }
}
