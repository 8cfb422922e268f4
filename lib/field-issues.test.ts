import { describe, expect, it } from 'vitest';
import { fieldIssues } from './field-issues';

describe('fieldIssues', () => {
  it('keeps the first message per top-level field of a 422', () => {
    expect(fieldIssues('url: must be an http(s) URL; detection.errorRate: too big; detection.latencyFactor: too small')).toEqual({
      url: 'must be an http(s) URL',
      detection: 'too big',
    });
  });

  it('ignores text that names no field', () => {
    expect(fieldIssues('the worker is not reachable')).toEqual({});
  });
});
