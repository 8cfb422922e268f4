import type { Metadata } from 'next';
import Link from 'next/link';
import { VigilMark } from '@/components/ui/vigil-mark';
import { CONSOLE_SECTIONS } from '@/components/shell/sections';

export const metadata: Metadata = { title: 'Not found' };

/** A mistyped or stale address still lands somewhere useful: the way back and every section. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 px-4 py-10" data-testid="not-found">
      <div className="flex items-center gap-2">
        <VigilMark className="h-7 w-7" />
        <span className="font-semibold">Vigil</span>
      </div>
      <h1 className="text-xl font-semibold">This page does not exist</h1>
      <p className="text-sm text-muted">The address may be mistyped, or it points at something that was removed. Nothing was changed.</p>
      <Link href="/" className="self-start rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white dark:text-slate-950">
        Go to the overview
      </Link>
      <nav aria-label="Sections">
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-sm">
          {CONSOLE_SECTIONS.filter((section) => section.href !== '/').map((section) => (
            <li key={section.href}>
              <Link href={section.href} className="text-accent underline underline-offset-2">
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </main>
  );
}
