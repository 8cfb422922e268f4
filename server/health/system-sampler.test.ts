import { describe, expect, it } from 'vitest';
import { systemSampleSchema } from '@/lib/health/score';
import { listMounts, SystemSampler } from './system-sampler';

describe('SystemSampler on this host', () => {
  it('lists at least one real mount point', async () => {
    const mounts = await listMounts();
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts) expect(mount.startsWith('/')).toBe(true);
  });

  it('takes a sample that passes the shared schema, skipping mounts that do not exist', async () => {
    const sampler = new SystemSampler({ mounts: ['/', '/no/such/mount'] });
    const at = new Date('2025-05-05T05:05:05.000Z');
    const started = Date.now();
    const sample = await sampler.sample(at);
    // CPU use is measured over at least a second, even right after construction.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(systemSampleSchema.parse(sample)).toEqual(sample);
    expect(sample.at).toBe(at.toISOString());
    expect(sample.disks.map((d) => d.mount)).toEqual(['/']);
    expect(sample.disks[0].totalBytes).toBeGreaterThan(0);
    expect(sample.memoryTotalBytes).toBeGreaterThan(sample.memoryUsedBytes);
    expect(sample.cores).toBeGreaterThan(0);
    expect(sample.processes).toBeGreaterThan(0);
    expect(sample.threads).toBeGreaterThanOrEqual(sample.processes);
    expect(sample.uptimeSeconds).toBeGreaterThan(0);
    // rounded to two decimals
    for (const value of [sample.cpuPercent, sample.memoryPercent, sample.disks[0].usedPercent])
      expect(Math.abs(value * 100 - Math.round(value * 100))).toBeLessThan(1e-6);
  });

  it('watches every real filesystem when no mounts are given', async () => {
    const sample = await new SystemSampler({ mounts: null }).sample();
    expect(sample.disks.length).toBeGreaterThan(0);
    expect(sample.disks.map((d) => d.mount)).toEqual(expect.arrayContaining([(await listMounts())[0]]));
  });
});
