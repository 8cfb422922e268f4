/**
 * Paths no watcher, tailer or snapshot should ever be pointed at, checked by the shared config
 * schemas so the file and the console refuse the same values. Pure string work (no node:path):
 * the settings page runs these checks in the browser as the operator types.
 */

/** Kernel and device file systems: endless (/dev/zero), changing on every read (/proc) or not files at all. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'] as const;

/** `/a//b/./c/../d/` → `/a/b/d`; a relative path keeps its leading segments as they are. */
export function normalisePath(text: string): string {
  const absolute = text.startsWith('/');
  const parts: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  return (absolute ? '/' : '') + parts.join('/');
}

/** The directory a glob starts walking from: the segments before the first one holding `*`, `?`, `[` or `{`. */
export function globBase(text: string): string {
  const segments = text.split('/');
  const first = segments.findIndex((segment) => /[*?[{]/.test(segment));
  return first === -1 ? text : segments.slice(0, first).join('/') || '/';
}

/** Whether `inner` is `outer` or lies under it, both normalised absolute paths. */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '/' || inner.startsWith(`${outer}/`);
}

function pseudoRootOf(normalised: string): string | undefined {
  return PSEUDO_ROOTS.find((root) => isWithin(normalised, root));
}

/** Integrity paths and snapshot sources: never the whole file system, never a kernel or device tree. */
export function treeRootProblem(text: string): string | undefined {
  const base = normalisePath(globBase(text));
  if (base === '/') return 'must not be / (the whole file system): name the directories that matter';
  const pseudo = pseudoRootOf(base);
  return pseudo ? `must not be under ${pseudo}: it holds no files to keep or compare` : undefined;
}

/** Log files: a device or kernel file never ends (/dev/zero) or is not a log at all. */
export function logFileProblem(text: string): string | undefined {
  const pseudo = pseudoRootOf(normalisePath(text));
  return pseudo ? `must not be under ${pseudo}: only regular log files are read` : undefined;
}

/** A zod refinement from one of the checks above: the message lands on the path field itself. */
export const refusePath =
  (problemOf: (text: string) => string | undefined) =>
  (text: string, ctx: { addIssue(issue: { code: 'custom'; message: string }): void }): void => {
    const problem = problemOf(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
