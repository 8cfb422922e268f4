import path from 'node:path';
import { globToRegExp, pathFilter, type PathFilter } from '@/lib/glob';
import type { IntegrityConfig } from '@/lib/config/integrity-config';

/** One registered root: a file or directory, what under it counts, and how much tampering there matters. */
export interface Scope {
  root: string;
  /** From a glob in the configured path, matched against the path relative to `root`. */
  include: RegExp | null;
  exclude: string[];
  filter: PathFilter;
  critical: boolean;
  /** Identifies the scope in the baseline: a changed definition is baselined afresh. */
  key: string;
}

const GLOB_CHARS = /[*?[]/;

/** `/etc/nginx/**\/*.conf` → root `/etc/nginx`, include `**\/*.conf` (anchored at the root). */
export function splitGlobPath(configured: string): { root: string; pattern: string | null } {
  const segments = configured.split('/');
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  if (firstGlob === -1) return { root: configured, pattern: null };
  return { root: segments.slice(0, firstGlob).join('/') || '/', pattern: segments.slice(firstGlob).join('/') };
}

export function makeScope(entry: { path: string; exclude: string[]; critical: boolean }): Scope {
  const { root, pattern } = splitGlobPath(path.resolve(entry.path));
  return {
    root,
    include: pattern ? globToRegExp(`/${pattern}`) : null,
    exclude: entry.exclude,
    filter: pathFilter(entry.exclude),
    critical: entry.critical,
    key: JSON.stringify([root, pattern, entry.exclude, entry.critical]),
  };
}

/** Vigil's own code and configuration; build output, dependencies and the data directory are not code. */
export const SELF_EXCLUDES = ['node_modules', '.next', 'var', '*.tsbuildinfo'];

export function selfScopes(repoRoot: string, configFile: string, critical: boolean): Scope[] {
  const dirs = ['server', 'lib', 'app', 'scripts'].map((dir) => ({ path: path.join(repoRoot, dir), exclude: SELF_EXCLUDES, critical }));
  const files = ['package.json', 'package-lock.json'].map((file) => ({ path: path.join(repoRoot, file), exclude: [], critical }));
  return [...dirs, ...files, { path: configFile, exclude: [], critical }].map(makeScope);
}

export function configuredScopes(config: IntegrityConfig, self: { repoRoot: string; configFile: string } | null): Scope[] {
  const own = self && config.self.enabled ? selfScopes(self.repoRoot, self.configFile, config.self.critical) : [];
  return [...config.paths.map(makeScope), ...own];
}

const relativeTo = (root: string, abs: string): string | null => {
  if (abs === root) return '';
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return abs.startsWith(prefix) ? abs.slice(prefix.length) : null;
};

/** Decides, for any absolute path, whether it is watched and whether it is critical. */
export class ScopeSet {
  constructor(
    readonly scopes: readonly Scope[],
    /** Never watched, wherever the roots are: Vigil writes here all the time (its baseline included). */
    private readonly ignoredDir: string | null,
  ) {}

  /** The scopes that cover `abs`; empty when it is not watched. */
  covering(abs: string): Scope[] {
    if (this.ignoredDir !== null && relativeTo(this.ignoredDir, abs) !== null) return [];
    return this.scopes.filter((scope) => {
      const rel = relativeTo(scope.root, abs);
      if (rel === null) return false;
      if (rel !== '' && scope.filter.excludes(rel)) return false;
      return scope.include === null || scope.include.test(rel);
    });
  }

  isCritical(abs: string): boolean {
    return this.covering(abs).some((scope) => scope.critical);
  }

  /** Whether anything under `dir` could be watched (for deciding which directories to watch and walk). */
  reaches(dir: string): boolean {
    if (this.ignoredDir !== null && relativeTo(this.ignoredDir, dir) !== null) return false;
    return this.scopes.some((scope) => {
      const rel = relativeTo(scope.root, dir);
      if (rel === null) return relativeTo(dir, scope.root) !== null;
      return rel === '' || !scope.filter.excludes(rel);
    });
  }
}
