/**
 * A clock that moves only when the test says so, for code that takes `now: () => number`:
 * an expiry is then a step in the test, not a wait that a loaded machine can stretch or cut short.
 */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.parse('2026-01-01T00:00:00Z')): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
  };
}
