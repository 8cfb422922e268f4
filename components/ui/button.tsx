import type { ButtonHTMLAttributes } from 'react';
import { cn } from './cn';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'ghost-danger';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-accent text-white hover:opacity-90 border-transparent dark:text-slate-950',
  secondary: 'bg-surface-2 text-text border-border hover:border-faint',
  danger: 'bg-bad text-white border-transparent hover:opacity-90 dark:text-slate-950',
  ghost: 'bg-transparent text-muted border-transparent hover:text-text hover:bg-surface-2',
  // Its own variant: `cn` only joins classes, so a text colour added to `ghost` would lose to text-muted.
  'ghost-danger': 'bg-transparent text-bad border-transparent hover:bg-bad/10',
};

export function Button({ variant = 'secondary', className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type="button"
      {...props}
      className={cn(
        'inline-flex h-8 items-center justify-center gap-1.5 rounded-md border px-3 text-sm font-medium transition disabled:cursor-not-allowed disabled:opacity-50',
        VARIANTS[variant],
        className,
      )}
    />
  );
}
