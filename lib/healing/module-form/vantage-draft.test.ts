import { describe, expect, it } from 'vitest';
import { moduleSchema } from '../module-schema';
import { checkDraft, draftOf, emptyDraft, withKind, type ModuleDraft } from './module-draft';
import type { VantageHost } from '../vantage-select';
import { emptyVantageDraft, quorumSentence, type VantageDraft } from './vantage-draft';

const FLEET: VantageHost[] = [
  { id: 1, name: 'console', labels: { probe: 'vantage' } },
  { id: 2, name: 'fra', labels: { probe: 'vantage' } },
  { id: 3, name: 'ams', labels: { probe: 'vantage' } },
  { id: 4, name: 'nyc', labels: {} },
];

const httpDraft = (vantage: Partial<VantageDraft>): ModuleDraft => ({
  ...emptyDraft('http'),
  name: 'shop',
  values: { url: 'http://127.0.0.1:8080/', method: 'GET', bodyContains: '', ignoreTlsErrors: false },
  vantage: { ...emptyVantageDraft(), enabled: true, ...vantage },
});

describe('the vantage fields of the module form', () => {
  it('sends no vantage until the operator asks for one, so the console alone probes', () => {
    const checked = checkDraft({ ...httpDraft({}), vantage: emptyVantageDraft() });
    expect(checked.ok).toBe(true);
    expect(checked.definition).not.toHaveProperty('vantage');
  });

  it('turns hosts, ids and labels as typed into the vantage the config file would hold', () => {
    const checked = checkDraft(httpDraft({ hosts: 'fra, 7  ams', labels: 'probe=vantage site=eu', includeConsole: false, quorum: '2' }));
    expect(checked.ok).toBe(true);
    expect(checked.definition.vantage).toEqual({ hosts: ['fra', 7, 'ams'], labels: { probe: 'vantage', site: 'eu' }, includeConsole: false, quorum: 2 });
    expect(moduleSchema.parse(checked.definition)).toMatchObject({ vantage: { quorum: 2 } });
  });

  it("answers with the schema's messages under the vantage field they concern", () => {
    expect(checkDraft(httpDraft({ hosts: 'fra', quorum: '3' })).issues.fields['vantage.quorum']).toBe('a quorum of 3 cannot be met by 2 vantage point(s)');
    expect(checkDraft(httpDraft({ quorum: 'two' })).issues.fields['vantage.quorum']).toBe('must be a number');
    expect(checkDraft(httpDraft({ includeConsole: false })).issues.fields['vantage.hosts']).toMatch(/at least one point/);
    expect(checkDraft(httpDraft({ labels: 'probe' })).issues.fields['vantage.labels']).toBeDefined();
    expect(checkDraft(httpDraft({ hosts: 'not a/host' })).issues.fields['vantage.hosts']).toMatch(/host name/);
  });

  it('keeps a stored vantage when editing, and drops it for a kind no other host can probe', () => {
    const stored = moduleSchema.parse({ name: 'db', kind: 'tcp', host: '10.0.0.5', port: 5432, vantage: { labels: { probe: 'vantage' }, quorum: 2 } });
    const draft = draftOf(stored);
    expect(draft.vantage).toEqual({ enabled: true, hosts: '', labels: 'probe=vantage', includeConsole: false, quorum: '2' });
    expect(checkDraft(draft).definition.vantage).toEqual({ hosts: [], labels: { probe: 'vantage' }, includeConsole: false, quorum: 2 });
    expect(checkDraft({ ...withKind(draft, 'ping'), values: { host: '10.0.0.5' } }).definition).not.toHaveProperty('vantage');
  });

  it('says how many vantage points the quorum is out of, as the console will count them', () => {
    expect(quorumSentence(httpDraft({ labels: 'probe=vantage', quorum: '2' }).vantage, FLEET)).toMatch(/^Down when 2 of 3 vantage points see it down/);
    expect(quorumSentence(httpDraft({ hosts: 'fra nyc', includeConsole: false, quorum: '1' }).vantage, FLEET)).toMatch(/^Down when 1 of 2 vantage points/);
    expect(quorumSentence(httpDraft({ labels: 'probe=vantage', quorum: '5' }).vantage, FLEET)).toMatch(
      /Fewer than 5 match now: it is down when all of them see it down/,
    );
    // Without the fleet's list, labels leave the number open.
    expect(quorumSentence(httpDraft({ labels: 'probe=vantage', quorum: '2' }).vantage, undefined)).toMatch(/^Down when 2 of the vantage points/);
    expect(quorumSentence(httpDraft({ quorum: '' }).vantage, FLEET)).toBeNull();
  });
});
