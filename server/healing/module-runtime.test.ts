import { describe, expect, it } from 'vitest';
import { tcpModuleSchema } from '@/lib/healing/module-schema';
import { ModuleRuntime } from './module-runtime';

describe('a module runtime after the worker restarted', () => {
  it('goes on with the restarts it had made: the hour for the view, the reset time for the budget', () => {
    const definition = tcpModuleSchema.parse({ name: 'db', kind: 'tcp', host: '127.0.0.1', port: 5432, restartPolicy: { resetAfterSeconds: 600 } });
    const runtime = new ModuleRuntime(definition, 'config');
    const now = Date.now();
    const minutesAgo = (m: number) => now - m * 60_000;
    runtime.recallRestarts([minutesAgo(90), minutesAgo(40), minutesAgo(8), minutesAgo(2)], now);
    expect(runtime.restartTimes).toEqual([minutesAgo(40), minutesAgo(8), minutesAgo(2)]);
    expect(runtime.restartAttempts).toBe(2);
    expect(runtime.restartsWithin(600_000, now)).toBe(2);
  });
});
