import { describe, expect, it } from 'vitest';
import { Lifecycle } from './lifecycle';
import { LeaderDuties } from './ha/leader-duties';

describe('the worker lifecycle', () => {
  it('stops, then closes, each pass in reverse of the start order', async () => {
    const steps: string[] = [];
    const lifecycle = new Lifecycle();
    for (const name of ['db', 'audit', 'live']) lifecycle.add({ stop: () => steps.push(`stop ${name}`), close: async () => void steps.push(`close ${name}`) });
    lifecycle.add({ close: () => steps.push('close http') });
    await lifecycle.stop();
    steps.push('worker.stopped');
    await lifecycle.close();
    expect(steps).toEqual(['stop live', 'stop audit', 'stop db', 'worker.stopped', 'close http', 'close live', 'close audit', 'close db']);
  });

  it('lets go of everything after a failed start, whatever throws on the way', async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle();
    lifecycle.add({ close: () => closed.push('db') });
    lifecycle.add({
      stop: () => {
        throw new Error('half started');
      },
      close: () => Promise.reject(new Error('never opened')),
    });
    lifecycle.add({ stop: () => closed.push('audit stopped'), close: () => closed.push('audit') });
    await expect(lifecycle.abandon()).resolves.toBeUndefined();
    expect(closed).toEqual(['audit stopped', 'audit', 'db']);
  });
});

describe("the leader's duties", () => {
  it('start once, in the order added', async () => {
    const started: string[] = [];
    const duties = new LeaderDuties();
    duties.add({ start: () => started.push('monitor') });
    duties.add({ start: async () => void started.push('healing') });
    expect(duties.started).toBe(false);
    await Promise.all([duties.run(), duties.run()]);
    expect(started).toEqual(['monitor', 'healing']);
    expect(duties.started).toBe(true);
  });

  it('start nothing more once leadership is lost, and stop every duty, started or not', async () => {
    const steps: string[] = [];
    const duties = new LeaderDuties();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    duties.add({ start: () => slow, stop: () => steps.push('stop monitor') });
    duties.add({ start: () => steps.push('start healing'), stop: () => steps.push('stop healing') });
    const running = duties.run();
    await duties.abandon();
    release();
    await expect(running).rejects.toThrow('leadership was lost');
    await duties.settled();
    expect(steps).toEqual(['stop monitor', 'stop healing']);
  });
});
