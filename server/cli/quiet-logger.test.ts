import { describe, expect, it } from 'vitest';
import { quietLogger } from './quiet-logger';

describe("the CLI's quiet logger", () => {
  it('takes every call a logger gets and says nothing, its children included', () => {
    const log = quietLogger();
    const child = log.child({ module: 'audit' });
    for (const logger of [log, child]) {
      expect(logger.isLevelEnabled('error')).toBe(false);
      expect(logger.error({ err: 'x' }, 'failed')).toBeUndefined();
      expect(logger.warn('careful')).toBeUndefined();
      expect(logger.info({ n: 1 }, 'note')).toBeUndefined();
    }
    expect(child).toBe(log);
    expect(log.level).toBe('silent');
  });
});
