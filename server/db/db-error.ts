/**
 * Prisma's errors carry a rendered code frame of the call; the cause is the last
 * line. Logs and status fields get that line only, capped.
 */
export function dbErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? 'unknown database error';
  return last.length > 300 ? `${last.slice(0, 297)}...` : last;
}
