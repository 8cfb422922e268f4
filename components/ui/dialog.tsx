'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { cn } from './cn';

const WIDTHS = { md: 'w-[min(32rem,calc(100vw-2rem))]', lg: 'w-[min(48rem,calc(100vw-2rem))]' } as const;

/**
 * The native <dialog>: focus trapping, Escape and the backdrop come from the browser. It sits
 * in the DOM where it is rendered (a table cell, say), so it resets the text alignment it would inherit.
 */
export function Dialog({
  open,
  onClose,
  title,
  size = 'md',
  dismissible = true,
  testId,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  size?: keyof typeof WIDTHS;
  /** false while the outcome of something in flight would be lost with the dialog: Escape does nothing. */
  dismissible?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(event) => {
        if (!dismissible) event.preventDefault();
      }}
      aria-label={title}
      data-testid={testId}
      className={cn(
        'm-auto text-left max-h-[calc(100vh-4rem)] rounded-lg border border-border bg-surface p-0 text-text shadow-2xl backdrop:bg-black/60',
        WIDTHS[size],
      )}
    >
      <div className="border-b border-border px-5 py-3">
        <h2 className="text-base font-semibold">{title}</h2>
      </div>
      <div className="px-5 py-4">{children}</div>
    </dialog>
  );
}
