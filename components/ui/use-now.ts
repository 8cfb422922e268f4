'use client';

import { useSyncExternalStore } from 'react';

// One ticking clock for every widget: relative times ("12 s ago") move together, and the
// server render and the first client render agree on the same instant (0 = "not yet known"),
// which is what keeps React from throwing hydration error #418 on pages that print ages.
let current = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    current = Date.now();
    timer = setInterval(() => {
      current = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const clientNow = () => current || Date.now();
const serverNow = () => 0;

/** The current time in ms, refreshed every second; 0 during the server render and hydration. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, clientNow, serverNow);
}
