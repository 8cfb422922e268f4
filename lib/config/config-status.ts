export interface ConfigProblem {
  /** Dotted path of the bad field, e.g. `snapshots.sources.0.path`; empty for the whole file. */
  field: string;
  message: string;
  /** 1-based line in the file where the field (or its nearest parent that is there) starts. */
  line?: number;
}

/**
 * Whether the configuration file on disk is the one in force. A reload that does not validate
 * keeps the last good configuration: `ok: false` says so, with why, until a good file is saved.
 */
export interface ConfigStatus {
  ok: boolean;
  file: string;
  /** When the file was last read (the rejection, for `ok: false`). */
  at: string;
  /** Since when the configuration in force was loaded. */
  appliedAt: string;
  /** One line for a banner; null when ok. */
  error: string | null;
  problems: ConfigProblem[];
}

/** `line 3: modules.api.url: must be an http(s) URL`, or the message alone for the whole file. */
export const describeConfigProblem = (problem: ConfigProblem): string =>
  [problem.line ? `line ${problem.line}` : null, problem.field || null, problem.message].filter(Boolean).join(': ');
