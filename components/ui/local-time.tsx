'use client';

import { useEffect, useState } from 'react';

/** The same on the server and in the browser: UTC, to the minute. */
const utcText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const localText = (date: Date) =>
  date.toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * An instant in the reader's own time zone. The server does not know that zone, so the first
 * render (server and hydration alike) shows UTC and the local time replaces it after mount:
 * no hydration mismatch. The exact instant stays in the title and in `dateTime`.
 */
export function LocalTime({ iso, testId }: { iso: string; testId?: string }) {
  const [local, setLocal] = useState<string | null>(null);
  const date = new Date(iso);
  const valid = !Number.isNaN(date.getTime());
  useEffect(() => {
    // Formatting needs the browser's zone, known only after mount.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (valid) setLocal(localText(new Date(iso)));
  }, [iso, valid]);
  if (!valid) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={date.toISOString()} data-testid={testId} data-local={local ? 'true' : undefined}>
      {local ?? utcText(date.toISOString())}
    </time>
  );
}
