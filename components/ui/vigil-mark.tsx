/** The product mark: a pulse line on a dark tile, drawn in the current theme's colours. */
export function VigilMark({ className = 'h-6 w-6' }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="7" className="fill-text" />
      <path d="M6 17h5l3-7 4 13 3-6h5" fill="none" stroke="var(--ok)" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
