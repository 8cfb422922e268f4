import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { formatBytes, formatCount } from '@/lib/format';

const WIDTH = 24;

function eta(ms: number | null): string {
  if (ms === null) return '';
  const seconds = Math.ceil(ms / 1000);
  return seconds >= 60 ? ` ETA ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : ` ETA ${seconds}s`;
}

/** `[#########---------------]  37% stage 3,700/10,000 files 370 MB/1.0 GB ETA 2s` */
export function renderProgressLine(progress: RecoveryProgress): string {
  // Nothing to count while it waits for the store: say for what instead of an empty bar.
  if (progress.phase === 'queued' && progress.message) return `${progress.message}…`;
  const useBytes = progress.bytesTotal > 0;
  const fraction = useBytes ? progress.bytesDone / progress.bytesTotal : progress.filesTotal > 0 ? progress.filesDone / progress.filesTotal : 0;
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const files = progress.filesTotal > 0 ? ` ${formatCount(progress.filesDone)}/${formatCount(progress.filesTotal)} files` : '';
  const bytes = useBytes ? ` ${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)}` : '';
  return `${bar} ${String(Math.round(clamped * 100)).padStart(3)}% ${progress.phase}${files}${bytes}${eta(progress.etaMs)}`;
}

/** Redraws one line on a terminal; elsewhere prints a line per phase so logs stay readable. */
export function progressPrinter(write: (text: string) => void, isTty: boolean): (progress: RecoveryProgress) => void {
  let lastPhase = '';
  return (progress) => {
    if (progress.finished) {
      if (isTty) write('\r\x1b[2K');
      return;
    }
    // A wait names its holder, which can change: each one gets its own line in a log.
    const phase = progress.phase === 'queued' ? `queued ${progress.message ?? ''}` : progress.phase;
    if (isTty) write(`\r\x1b[2K${renderProgressLine(progress)}`);
    else if (phase !== lastPhase) write(progress.phase === 'queued' ? `${progress.message ?? 'waiting for the snapshot store'}…\n` : `${phase}…\n`);
    lastPhase = phase;
  };
}
