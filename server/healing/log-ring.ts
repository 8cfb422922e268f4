export interface LogLine {
  at: string;
  stream: 'stdout' | 'stderr' | 'vigil';
  text: string;
}

const MAX_LINE = 4096;

/** The last N lines of a process's output; a line longer than 4 KiB is cut, never buffered whole. */
export class LogRing {
  private readonly lines: LogLine[] = [];
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly capacity: number) {}

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const parts = text.split('\n');
    this.partial[stream] = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const line of parts) this.push(stream, line);
  }

  note(text: string): void {
    this.push('vigil', text);
  }

  private push(stream: LogLine['stream'], text: string): void {
    this.lines.push({ at: new Date().toISOString(), stream, text: text.slice(0, MAX_LINE) });
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  tail(count = this.capacity): LogLine[] {
    return this.lines.slice(-count);
  }
}
