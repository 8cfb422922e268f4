'use client';

import { useEffect, useRef } from 'react';
import { formatClock } from '@/lib/format';
import type { ModuleLogLineView } from '@/lib/healing/healing-views';
import { useModuleLogsQuery } from '../queries/use-modules-query';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Dialog } from '../ui/dialog';

const STREAM_STYLE: Record<ModuleLogLineView['stream'], string> = {
  stdout: 'text-text',
  stderr: 'bg-bad/10 text-bad',
  vigil: 'text-accent italic',
};

/** The supervised process's bounded output, newest at the bottom, followed while open. */
export function ModuleLogsDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const logs = useModuleLogsQuery(name, true);
  const lines = logs.data?.lines ?? [];
  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A block body on purpose: newer browsers return a promise from scrollIntoView, and React
    // would take a returned value for the effect's cleanup.
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [lines.length]);
  return (
    <Dialog open onClose={onClose} title={`Output of ${name}`} size="lg" testId="module-logs-dialog">
      <div className="mb-2 flex items-center gap-3 text-xs text-faint">
        <span>{lines.length} lines kept</span>
        <span className="text-bad">stderr tinted</span>
        <span className="text-accent italic">Vigil&apos;s own notes</span>
      </div>
      {logs.isError ? (
        <p className="text-sm text-bad">Could not load the output: {logs.error.message}</p>
      ) : (
        <div className="max-h-[55vh] overflow-auto rounded-md border border-border bg-surface-2 py-1 font-mono text-xs" data-testid="module-log-lines">
          {lines.length === 0 ? <p className="px-3 py-2 text-faint">{logs.isPending ? 'Loading…' : 'No output yet.'}</p> : null}
          {lines.map((line, i) => (
            <div key={i} data-stream={line.stream} className={cn('flex gap-3 px-3 py-px whitespace-pre-wrap break-all', STREAM_STYLE[line.stream])}>
              <span className="shrink-0 text-faint tabular">{formatClock(line.at)}</span>
              <span className="min-w-0">{line.text}</span>
            </div>
          ))}
          <div ref={bottom} />
        </div>
      )}
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Dialog>
  );
}
