import { describe, expect, it } from 'vitest';
import { createStatusPostSchema, isRasterLogo, statusPageSchema } from './status-page-schema';

const PNG = `data:image/png;base64,${btoa('\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01')}`;
const base = { slug: 'public', title: 'Acme', modules: ['api'] };
const issues = (input: unknown) => statusPageSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('a status page definition', () => {
  it('takes module names and labelled modules', () => {
    expect(statusPageSchema.parse({ ...base, modules: ['api', { module: 'db-1', label: 'Database' }] }).modules).toHaveLength(2);
  });

  it('refuses what would publish more than text or run in the page', () => {
    expect(issues({ ...base, slug: 'Bad Slug' })[0]).toMatch(/^slug:/);
    expect(issues({ ...base, title: 'two\nlines' })[0]).toMatch(/^title: must be one line/);
    expect(issues({ ...base, modules: ['api', { module: 'api', label: 'again' }] })[0]).toMatch(/listed twice/);
    expect(issues({ ...base, modules: [] })[0]).toMatch(/^modules:/);
    expect(issues({ ...base, extra: 1 })[0]).toMatch(/extra/);
    for (const logo of [
      'javascript:alert(1)',
      'http://example.com/logo.png',
      'https://example.com/a".png',
      'data:image/svg+xml;base64,PHN2Zz4=',
      `data:text/html;base64,${btoa('<script>')}`,
    ]) {
      expect(issues({ ...base, logo }), logo).not.toEqual([]);
    }
    expect(issues({ ...base, domain: 'not a host' })[0]).toMatch(/^domain:/);
  });

  it('takes an https logo or an uploaded raster image whose bytes match its type', () => {
    expect(issues({ ...base, logo: 'https://cdn.example.com/logo.png' })).toEqual([]);
    expect(issues({ ...base, logo: PNG, domain: 'Status.Example.com' })).toEqual([]);
    expect(statusPageSchema.parse({ ...base, domain: 'Status.Example.com' }).domain).toBe('status.example.com');
    expect(isRasterLogo(PNG.replace('image/png', 'image/gif'))).toBe(false);
    expect(isRasterLogo(`data:image/png;base64,${btoa('<svg onload=alert(1)>xxxxxxxx')}`)).toBe(false);
  });
});

describe('a status post', () => {
  it('needs an end for maintenance, after its start', () => {
    expect(createStatusPostSchema.safeParse({ kind: 'maintenance', title: 'x', message: 'm' }).success).toBe(false);
    expect(
      createStatusPostSchema.safeParse({ kind: 'maintenance', title: 'x', message: 'm', startsAt: '2026-12-07T10:00:00Z', endsAt: '2026-12-07T09:00:00Z' })
        .success,
    ).toBe(false);
    expect(createStatusPostSchema.parse({ kind: 'incident', title: 'x', message: 'm' }).impact).toBe('minor');
  });
});
