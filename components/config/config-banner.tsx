'use client';

import Link from 'next/link';
import { describeConfigProblem } from '@/lib/config/config-status';
import { useConfigStatusQuery } from '../queries/use-config-status-query';

/** More would push the page below the fold on a phone; the CLI lists every one. */
const PROBLEMS_SHOWN = 5;

const fileNameOf = (file: string) => file.split(/[\\/]/).pop() || file;

/**
 * Above every page while the configuration file on disk is not the one in force: an edit that
 * was refused leaves the last good configuration running, which nobody would notice otherwise.
 */
export function ConfigBanner() {
  const { data: status } = useConfigStatusQuery();
  if (!status || status.ok) return null;
  const hidden = status.problems.length - PROBLEMS_SHOWN;
  const appliedAt = new Date(status.appliedAt).toLocaleString([], { hourCycle: 'h23' });
  return (
    <section
      role="alert"
      aria-labelledby="config-banner-title"
      data-testid="config-banner"
      className="mb-4 min-w-0 rounded-md border border-warn/60 border-l-4 bg-warn/10 px-4 py-3 text-sm text-text [overflow-wrap:anywhere]"
    >
      <p id="config-banner-title" className="font-semibold">
        {/* The tint and border carry the colour: warn-coloured text on the tint falls below AA contrast in the light theme. */}
        <span aria-hidden="true">⚠ </span>
        <code title={status.file} className="font-mono">
          {fileNameOf(status.file)}
        </code>{' '}
        was not applied:
      </p>
      <ul className="mt-1 list-disc pl-5 font-mono text-xs leading-5" data-testid="config-banner-problems">
        {status.problems.slice(0, PROBLEMS_SHOWN).map((problem, index) => (
          <li key={index}>{describeConfigProblem(problem)}</li>
        ))}
        {hidden > 0 ? <li className="list-none font-sans text-muted">…and {hidden} more.</li> : null}
      </ul>
      <p className="mt-1">
        Still running the configuration applied at{' '}
        <time dateTime={status.appliedAt} data-testid="config-banner-applied-at">
          {appliedAt}
        </time>
        .
      </p>
      <p className="mt-1 text-muted">
        Run <code className="rounded bg-surface-2 px-1 font-mono text-text">vigil config check</code> to see every problem; this goes away once a valid file is
        saved.{' '}
        <Link href="/audit?type=config.reload_rejected" className="font-medium text-text underline underline-offset-2" data-testid="config-banner-audit">
          Refusals in the audit trail
        </Link>
      </p>
    </section>
  );
}
