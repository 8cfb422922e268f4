import { describe, expect, it } from 'vitest';
import { moduleSchema } from '../module-schema';
import { conditionFailure, type ProbeFacts } from './condition-evaluate';
import { conditionProblem, parseCondition } from './condition-parser';
import { ConditionSyntaxError, tokenize } from './condition-tokens';

const check = (text: string, facts: ProbeFacts) => conditionFailure(parseCondition(text), facts);
const body = JSON.stringify({ status: 'UP', queue: { depth: 1200 }, items: [{ name: 'a' }, { name: 'b' }], empty: [] });

describe('condition grammar', () => {
  it('reads the Gatus examples', () => {
    expect(parseCondition('[STATUS] == 200')).toMatchObject({ left: { kind: 'placeholder', name: 'STATUS' }, comparator: '==', right: { value: 200 } });
    expect(parseCondition('[BODY].queue.depth < 5000').left).toMatchObject({ path: ['queue', 'depth'] });
    expect(parseCondition('[CERTIFICATE_EXPIRATION] > 72h').right).toMatchObject({ value: 72 * 3_600_000 });
    expect(parseCondition('len([BODY].items) > 0').left).toMatchObject({ kind: 'len', of: { name: 'BODY', path: ['items'] } });
    expect(parseCondition('[BODY].items[1].name == "b"').left).toMatchObject({ path: ['items', 1, 'name'] });
    expect(parseCondition('[RESPONSE_TIME] <= 1.5s').right).toMatchObject({ value: 1500 });
    expect(parseCondition('[CONNECTED] == true').right).toMatchObject({ value: true });
  });

  it('points at the column where reading stopped', () => {
    expect(conditionProblem('[STATUS] = 200')).toBe('column 10: unexpected "="\n  [STATUS] = 200\n           ^');
    expect(conditionProblem('[STATUS] 200')).toMatch(/^column 10: expected a comparator/);
    expect(conditionProblem('[STATUSES] == 200')).toMatch(/^column 1: unknown placeholder \[STATUSES\]/);
    expect(conditionProblem('[STATUS] ==')).toMatch(/^column 12: the condition ends too early/);
    expect(conditionProblem('len([BODY].items > 0')).toMatch(/^column 18: expected a closing "\)"/);
    expect(conditionProblem('[RESPONSE_TIME] < 3 fortnights')).toMatch(/^column 21: unexpected text after the condition/);
    expect(conditionProblem('[RESPONSE_TIME] < 3weeks')).toMatch(/^column 20: unknown unit "weeks"/);
    expect(conditionProblem('[BODY] == "open')).toMatch(/^column 11: this quote is never closed/);
    expect(conditionProblem('[STATUS].code == 1')).toMatch(/only \[BODY\] takes a path/);
    expect(conditionProblem('[BODY].items[x] == 1')).toMatch(/^column 14: expected an index/);
    expect(conditionProblem('[BODY]. == 1')).toMatch(/^column 9: expected a field name/);
    expect(conditionProblem('== 1')).toMatch(/^column 1: expected a placeholder/);
    expect(conditionProblem('[STATUS] == 200')).toBeNull();
    expect(() => tokenize('[STATUS] == 2$')).toThrow(ConditionSyntaxError);
  });

  it('never evaluates text as code', () => {
    expect(conditionProblem('[BODY] == process.exit(1)')).toMatch(/^column 18: unexpected text/);
    expect(conditionProblem('constructor.constructor("x")() == 1')).toMatch(/column 12: expected a comparator/);
  });
});

describe('condition evaluation', () => {
  const facts: ProbeFacts = { status: 200, responseTimeMs: 120, body, certificateExpirationMs: 10 * 86_400_000, connected: true };
  it('holds or says what the left side was', () => {
    expect(check('[STATUS] == 200', facts)).toBeNull();
    expect(check('[STATUS] == 201', facts)).toBe('[STATUS] == 201 failed: left side is 200');
    expect(check('[RESPONSE_TIME] < 300', facts)).toBeNull();
    expect(check('[RESPONSE_TIME] < 100ms', facts)).toMatch(/failed: left side is 120/);
    expect(check('[BODY].queue.depth < 5000', facts)).toBeNull();
    expect(check('[BODY].queue.depth >= 5000', facts)).toMatch(/left side is 1200/);
    expect(check('[BODY].status == UP', facts)).toBeNull();
    expect(check('[BODY].status != "UP"', facts)).toMatch(/failed/);
    expect(check('[CERTIFICATE_EXPIRATION] > 72h', facts)).toBeNull();
    expect(check('[CERTIFICATE_EXPIRATION] > 30d', facts)).toMatch(/failed/);
    expect(check('len([BODY].items) > 0', facts)).toBeNull();
    expect(check('len([BODY].empty) > 0', facts)).toMatch(/left side is 0/);
    expect(check('len([BODY].queue) == 1', facts)).toBeNull();
    expect(check('len([BODY].missing) == 0', facts)).toBeNull();
    expect(check('len([BODY]) == 4', facts)).toBeNull();
    expect(check('len([BODY]) == 10', { body: 'plain text' })).toBeNull();
    expect(check('len([BODY]) == 4', { body: '{bad' })).toBeNull();
    expect(check('[CONNECTED] == true', facts)).toBeNull();
    expect(check('[BODY].items[1].name == b', facts)).toBeNull();
  });

  it('names what a monitor cannot report and what is not a number', () => {
    expect(check('[DNS_RCODE] == NOERROR', facts)).toBe('[DNS_RCODE] == NOERROR: this monitor reports no [DNS_RCODE]');
    expect(check('[BODY].status > 3', facts)).toBe('[BODY].status > 3: "UP" is not a number');
    expect(check('[BODY].x == 1', { body: 'plain text' })).toMatch(/the body is not JSON/);
    expect(check('[BODY].missing < 1', facts)).toMatch(/missing is not a number/);
  });
});

describe('conditions in a module definition', () => {
  it('are validated by the schema, naming the condition and the column', () => {
    const base = { name: 'api', kind: 'http', url: 'http://127.0.0.1/' };
    expect(moduleSchema.parse({ ...base, conditions: ['[STATUS] == 200'] }).conditions).toEqual(['[STATUS] == 200']);
    const bad = moduleSchema.safeParse({ ...base, conditions: ['[STATUS] == 200', '[STATUS] => 200'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['conditions', 1], message: expect.stringMatching(/^column 10: unexpected "="/) });
  });
});

describe('a [BODY] path through names every object inherits', () => {
  it('finds only the JSON document’s own fields: constructor and __proto__ are missing unless the body has them', () => {
    expect(check('[BODY].constructor == null', { body })).toBe('[BODY].constructor == null failed: left side is missing');
    expect(check('len([BODY].__proto__) == 0', { body })).toBeNull();
    expect(check('[BODY].toString == "x"', { body })).toBe('[BODY].toString == "x" failed: left side is missing');
    expect(check('[BODY].constructor == "own"', { body: '{"constructor":"own"}' })).toBeNull();
  });
});
