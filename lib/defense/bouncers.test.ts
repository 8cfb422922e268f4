import { describe, expect, it } from 'vitest';
import { customBouncerYaml, firewallSetNames, streamApiUrl } from './bouncer-config';
import { bouncerStatus, bouncerVersionOf, nextIntervalEstimate } from './bouncers';

describe('bouncers', () => {
  it('reads the version from the User-Agent the bouncers send', () => {
    expect(bouncerVersionOf('crowdsec-firewall-bouncer/v0.0.25')).toBe('v0.0.25 (crowdsec-firewall-bouncer)');
    expect(bouncerVersionOf('curl')).toBe('curl');
    expect(bouncerVersionOf('  ')).toBeNull();
    expect(bouncerVersionOf(undefined)).toBeNull();
  });

  it('moves the interval estimate a quarter of the way per gap, never below a second', () => {
    expect(nextIntervalEstimate(null, 1000)).toBe(1000);
    expect(nextIntervalEstimate(1000, 5000)).toBe(2000);
    expect(nextIntervalEstimate(2000, 0)).toBe(1750);
    expect(nextIntervalEstimate(1000, 0)).toBe(1000);
    expect(nextIntervalEstimate(null, 12)).toBe(1000);
  });

  it('is pending before a pull, failing when refused, stale after three intervals (10 s each until known)', () => {
    const now = 100_000;
    expect(bouncerStatus({ lastPullAt: null, lastStatus: null, intervalMs: null }, now)).toBe('pending');
    expect(bouncerStatus({ lastPullAt: now, lastStatus: 401, intervalMs: 1000 }, now)).toBe('failing');
    expect(bouncerStatus({ lastPullAt: now - 29_000, lastStatus: 200, intervalMs: null }, now)).toBe('ok');
    expect(bouncerStatus({ lastPullAt: now - 31_000, lastStatus: 200, intervalMs: null }, now)).toBe('stale');
    expect(bouncerStatus({ lastPullAt: now - 3500, lastStatus: 200, intervalMs: 1000 }, now)).toBe('stale');
  });

  it('points api_url at /api/ whatever the worker URL ends with, and names sets per bouncer', () => {
    expect(streamApiUrl('http://10.0.0.1:3001//')).toBe('http://10.0.0.1:3001/api/');
    expect(firewallSetNames('Edge FW.1')).toEqual({ ipv4: 'vigil-edge-fw-1', ipv6: 'vigil6-edge-fw-1' });
    expect(customBouncerYaml({ workerUrl: 'http://w:1', apiKey: 'k"', name: 'c', binPath: '/b' })).toContain('api_key: "k\\""');
  });
});
