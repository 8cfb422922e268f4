import { afterEach, describe, expect, it } from 'vitest';
import { createAuditedDatabase, PROVIDERS, type AuditedDatabase } from '../test-support';
import { readLastElevation } from './mode-history';

describe.each(PROVIDERS)('the mode last announced (%s)', (provider) => {
  let store: AuditedDatabase | null = null;
  afterEach(async () => {
    await store?.destroy();
    store = null;
  });

  it('is ELEVATED until the defense announced otherwise; a lockdown keeps what it came from', async () => {
    store = await createAuditedDatabase(provider);
    const { db, audit } = store;
    const announce = async (type: string, from: string, to: string) => {
      await audit.append({
        type,
        severity: 'high',
        actor: 'system',
        action: `defense mode ${from} → ${to}`,
        module: 'defense',
        details: { from, to, expiresAt: null },
      });
      await audit.flush();
      return readLastElevation(db.database);
    };
    expect(await readLastElevation(db.database)).toBe(false);
    expect(await announce('defense.mode_changed', 'NORMAL', 'ELEVATED')).toBe(true);
    expect(await announce('defense.lockdown', 'ELEVATED', 'LOCKDOWN')).toBe(true);
    // Application events of the same name never count: only the defense's own.
    await audit.append({ type: 'app.custom', severity: 'info', actor: 'token:app', action: 'x', module: 'app', details: { from: 'ELEVATED', to: 'NORMAL' } });
    expect(await announce('defense.lockdown_lifted', 'LOCKDOWN', 'NORMAL')).toBe(false);
    expect(await announce('defense.lockdown', 'NORMAL', 'LOCKDOWN')).toBe(false);
  });
});
