import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { routeAlert } from './alert-labels';

const route = (labels: Record<string, string>) => routeAlert(labels, { knownModules: new Set(['api', 'db']), isAddress: (value) => isIP(value) !== 0 });

describe('routeAlert', () => {
  it('files an alert under the first label that names a known module', () => {
    expect(route({ alertname: 'X', vigil_module: 'db', module: 'api' })).toEqual({ to: 'module', module: 'db' });
    expect(route({ alertname: 'X', module: 'nope', service: 'api', job: 'db' })).toEqual({ to: 'module', module: 'api' });
    expect(route({ alertname: 'X', job: 'db' })).toEqual({ to: 'module', module: 'db' });
    expect(route({ alertname: 'X', job: 'node', instance: 'api' })).toEqual({ to: 'external' });
  });

  it("recognises Vigil's own alerts before anything else", () => {
    expect(route({ alertname: 'VigilModuleDown', module: 'api', vigil_incident: 'i-1' })).toEqual({ to: 'own', incidentId: 'i-1', module: 'api' });
    expect(route({ alertname: 'VigilModuleDown', module: 'gone', vigil_incident: 'i-2', vigil_kind: 'threat', source: '203.0.113.1' })).toEqual({
      to: 'own',
      incidentId: 'i-2',
      module: null,
    });
  });

  it('makes a threat of a security alert with a source address, never of the scraped instance', () => {
    expect(route({ vigil_kind: 'threat', source_ip: ' 203.0.113.9 ', module: 'api' })).toEqual({ to: 'threat', source: '203.0.113.9', signal: 'custom' });
    expect(route({ vigil_kind: 'threat', client_ip: '2001:db8::1', vigil_signal: 'auth_failure' })).toEqual({
      to: 'threat',
      source: '2001:db8::1',
      signal: 'auth_failure',
    });
    expect(route({ vigil_kind: 'threat', src_ip: '198.51.100.7', vigil_signal: 'bogus' })).toEqual({ to: 'threat', source: '198.51.100.7', signal: 'custom' });
    expect(route({ vigil_kind: 'threat', source: 'not-an-ip', instance: '10.0.0.5', module: 'api' })).toEqual({ to: 'module', module: 'api' });
    expect(route({ source: '203.0.113.9' })).toEqual({ to: 'external' });
  });
});
