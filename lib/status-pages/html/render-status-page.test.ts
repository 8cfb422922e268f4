import { describe, expect, it } from 'vitest';
import type { PublicStatusPage } from '../status-view';
import { formatUptime, renderStatusPage } from './render-status-page';
import { STATUS_PAGE_CSS } from './status-page-css';

const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`;

function view(overrides: Partial<PublicStatusPage> = {}): PublicStatusPage {
  return {
    slug: 'public',
    title: 'Acme',
    description: null,
    logo: null,
    overall: 'operational',
    modules: [
      {
        label: 'API',
        state: 'operational',
        uptime: { h24: 1, d7: 0.99996, d30: 0.5, d90: null },
        responseTimes: [
          { day: '2026-12-05', ms: null },
          { day: '2026-12-06', ms: 42 },
        ],
      },
    ],
    active: [],
    upcoming: [],
    past: [],
    generatedAt: '2026-12-06T12:00:00.000Z',
    ...overrides,
  };
}

const post = (text: string) => ({
  id: 'p1',
  kind: 'incident' as const,
  title: text,
  impact: 'major',
  startsAt: '2026-12-06T10:00:00.000Z',
  endsAt: null,
  resolvedAt: null,
  updates: [{ at: '2026-12-06T10:00:00.000Z', status: 'investigating' as const, message: text }],
});

describe('the public status page', () => {
  it('renders states, the four uptime windows and an accessible chart, with no script', () => {
    const html = renderStatusPage(view());
    expect(html).toContain('All systems operational');
    expect(html).toContain('100.00\u00a0%');
    expect(html).toContain('99.99\u00a0%');
    expect(html).toContain('50.00\u00a0%');
    expect(html).toContain('<dd>—</dd>');
    expect(html).toMatch(/<svg\s[^>]*role="img"\s+aria-labelledby="rt-0-title rt-0-desc"/);
    expect(html).toContain('latest 42 ms on 2026-12-06');
    expect(html).toContain('Nothing to report in the last 14 days.');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`<style>${STATUS_PAGE_CSS}</style>`);
  });

  it('escapes every operator-written text, so none of it becomes markup', () => {
    const html = renderStatusPage(
      view({ title: HOSTILE, description: HOSTILE, modules: [{ ...view().modules[0], label: HOSTILE }], active: [post(HOSTILE)], past: [post(HOSTILE)] }),
    );
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows a valid logo and drops one that does not validate', () => {
    expect(renderStatusPage(view({ logo: 'https://cdn.example.com/logo.png' }))).toMatch(/<img src="https:\/\/cdn.example.com\/logo.png" alt="" \/?>/);
    expect(renderStatusPage(view({ logo: 'javascript:alert(1)' }))).not.toContain('<img');
  });

  it('says when there is no response time yet, and headlines an outage', () => {
    const html = renderStatusPage(
      view({ overall: 'outage', modules: [{ ...view().modules[0], state: 'outage', responseTimes: [{ day: '2026-12-06', ms: null }] }] }),
    );
    expect(html).toContain('Some systems are down');
    expect(html).toContain('No response times recorded yet.');
  });

  it('never rounds up to a perfect record', () => {
    expect(formatUptime(0.999999)).toBe('99.99\u00a0%');
    expect(formatUptime(null)).toBe('—');
  });
});
