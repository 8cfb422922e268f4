import type { ReactNode } from 'react';
import { VigilMark } from '../ui/vigil-mark';

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <VigilMark className="h-8 w-8" />
          <div>
            <div className="text-lg font-semibold leading-tight">Vigil</div>
            <div className="text-xs text-faint">Defense &amp; Healing console</div>
          </div>
        </div>
        <div className="rounded-lg border border-border bg-surface p-6">
          <h1 className="text-base font-semibold">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-muted">{subtitle}</p> : null}
          <div className="mt-5">{children}</div>
        </div>
      </div>
    </main>
  );
}
