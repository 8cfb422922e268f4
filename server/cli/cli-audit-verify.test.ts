import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { seedCliAuditChain } from './cli-test-kit';
import { runCli } from './main';

async function vigil(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => out.push(t), env });
  return { code, out: out.join('\n') };
}

describe.each(PROVIDERS)('vigil audit verify is what an auditor runs (%s)', (provider) => {
  let db: MigratedDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    env = await seedCliAuditChain(db);
  });

  afterEach(() => db.destroy());

  const edit = (seq: number) => db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{"i":99}' WHERE "seq" = ${seq}`);

  it('checks the whole chain by default: an edit of an already verified event is found, and the range covered is named', async () => {
    const first = await vigil(['audit', 'verify'], env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain('covered #1 to #20: 20 events (full)');

    await edit(2);
    const second = await vigil(['audit', 'verify'], env);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/chain BROKEN at event #2: hash-mismatch/);
    expect(second.out).toContain('covered #1 to #20');
  });

  it('names every broken event, so a later edit is not hidden behind an earlier one', async () => {
    await edit(2);
    await edit(15);
    const run = await vigil(['audit', 'verify', '--json'], env);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.out) as { firstBadSeq: number; breaks: Array<{ seq: number; problem: string }> };
    expect(result.firstBadSeq).toBe(2);
    expect(result.breaks).toEqual([
      { seq: 2, problem: 'hash-mismatch' },
      { seq: 15, problem: 'hash-mismatch' },
    ]);
    expect((await vigil(['audit', 'verify'], env)).out).toContain('broken events: #2 (hash-mismatch), #15 (hash-mismatch)');
  });

  it('resumes after the last verified checkpoint only when asked to, and says so', async () => {
    expect((await vigil(['audit', 'verify'], env)).code).toBe(0);
    const incremental = await vigil(['audit', 'verify', '--incremental'], env);
    expect(incremental.code).toBe(0);
    expect(incremental.out).toContain('covered #11 to #20: 10 events (incremental, from #10)');
    expect((await vigil(['audit', 'verify', '--full', '--incremental'], env)).code).toBe(2);
  });
});
