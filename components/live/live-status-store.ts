'use client';

import { useSyncExternalStore } from 'react';

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveStatus {
  state: LiveState;
  since: number;
  attempts: number;
  lastMessageAt: number | null;
}

let status: LiveStatus = { state: 'connecting', since: Date.now(), attempts: 0, lastMessageAt: null };
const listeners = new Set<() => void>();

export function setLiveStatus(update: Partial<LiveStatus>): void {
  const next = { ...status, ...update };
  if (update.state && update.state !== status.state) next.since = Date.now();
  status = next;
  listeners.forEach((listener) => listener());
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => status,
    () => status,
  );
}
