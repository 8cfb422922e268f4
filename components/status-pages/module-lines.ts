import type { StatusModuleEntry } from '@/lib/status-pages/status-page-schema';

/** One module a line in the editor: `name`, or `name = Public label` to publish the label instead. */
export function parseModuleLines(text: string): StatusModuleEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('=');
      if (at < 0) return line;
      return { module: line.slice(0, at).trim(), label: line.slice(at + 1).trim() };
    });
}

export function formatModuleLines(entries: readonly StatusModuleEntry[]): string {
  return entries.map((e) => (typeof e === 'string' ? e : `${e.module} = ${e.label}`)).join('\n');
}
