'use client';

import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const isDark = () => document.documentElement.classList.contains('dark');

export function ThemeToggle() {
  // The class on <html> is the source of truth: the pre-paint script in the root layout sets it.
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  const toggle = () => {
    const next = !isDark();
    document.documentElement.classList.toggle('dark', next);
    localStorage.setItem('vigil-theme', next ? 'dark' : 'light');
    listeners.forEach((l) => l());
  };
  return (
    <button
      type="button"
      onClick={toggle}
      aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
      title="Toggle theme"
      className="rounded-md p-1.5 text-muted hover:bg-surface-2 hover:text-text"
    >
      <svg viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor" aria-hidden>
        {dark ? (
          <path d="M10 2a1 1 0 011 1v1a1 1 0 11-2 0V3a1 1 0 011-1zm4 8a4 4 0 11-8 0 4 4 0 018 0zm-.46 4.95l.7.7a1 1 0 001.42-1.41l-.71-.71a1 1 0 00-1.41 1.42zm2.12-10.6a1 1 0 010 1.41l-.7.71a1 1 0 11-1.42-1.41l.71-.71a1 1 0 011.41 0zM17 11a1 1 0 100-2h-1a1 1 0 100 2h1zm-7 4a1 1 0 011 1v1a1 1 0 11-2 0v-1a1 1 0 011-1zM5.05 6.46a1 1 0 001.41-1.41l-.7-.71a1 1 0 00-1.42 1.41l.71.71zm1.41 8.49l-.7.7a1 1 0 01-1.42-1.41l.71-.71a1 1 0 011.41 1.42zM4 11a1 1 0 100-2H3a1 1 0 000 2h1z" />
        ) : (
          <path d="M17.29 13.29A8 8 0 016.71 2.71a8.001 8.001 0 1010.58 10.58z" />
        )}
      </svg>
    </button>
  );
}
