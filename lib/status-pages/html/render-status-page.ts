import { statusLogoSchema } from '../status-page-schema';
import type { PublicModule, PublicModuleState, PublicPost, PublicStatusPage } from '../status-view';
import { responseTimeChart } from './response-time-chart';
import { html, SafeHtml } from './safe-html';
import { STATUS_PAGE_CSS } from './status-page-css';

// Exactly the hashed text between the tags: the policy admits the style by its SHA-256.
const STYLE_ELEMENT = new SafeHtml(`<style>${STATUS_PAGE_CSS}</style>`);

const STATE_TEXT: Record<PublicModuleState, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  outage: 'Outage',
  maintenance: 'Under maintenance',
  unknown: 'No data',
};

const OVERALL_TEXT: Record<PublicModuleState, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems are degraded',
  outage: 'Some systems are down',
  maintenance: 'Maintenance under way',
  unknown: 'Status not yet known',
};

const STATUS_TEXT: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

/** Times in UTC, spelled out: the page is cached and shared, so it cannot know the reader's zone. */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Two decimals, never rounded up to a perfect 100 %: 99.996 % reads as 99.99 %. */
export function formatUptime(fraction: number | null): string {
  if (fraction === null) return '—';
  // A no-break space: the figure and its sign stay on one line in a phone's narrow column.
  return `${(Math.floor(fraction * 10_000) / 100).toFixed(2)}\u00a0%`;
}

function timeTag(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${utc(iso)}</time>`;
}

function post(p: PublicPost): SafeHtml {
  const when = p.kind === 'maintenance' && p.endsAt ? html`${timeTag(p.startsAt)} – ${timeTag(p.endsAt)}` : html`since ${timeTag(p.startsAt)}`;
  return html`<article class="card post" data-kind="${p.kind}">
    <div class="row">
      <h3>${p.title}</h3>
      <span class="tag">${p.kind === 'maintenance' ? 'Maintenance' : `Incident · ${p.impact} impact`}</span>
    </div>
    <p class="muted">${when}</p>
    <ol class="updates">
      ${p.updates.map(
        (u) =>
          html`<li>
            <strong>${STATUS_TEXT[u.status] ?? u.status}</strong> · ${timeTag(u.at)}
            <p class="message">${u.message}</p>
          </li>`,
      )}
    </ol>
  </article>`;
}

function moduleCard(m: PublicModule, index: number): SafeHtml {
  const windows: [string, number | null][] = [
    ['24 hours', m.uptime.h24],
    ['7 days', m.uptime.d7],
    ['30 days', m.uptime.d30],
    ['90 days', m.uptime.d90],
  ];
  return html`<li class="card module">
    <div class="row">
      <h3>${m.label}</h3>
      <span class="state ${m.state}">${STATE_TEXT[m.state]}</span>
    </div>
    <dl class="uptime" aria-label="Uptime of ${m.label}">
      ${windows.map(
        ([name, value]) =>
          html`<div>
            <dt>${name}</dt>
            <dd>${formatUptime(value)}</dd>
          </div>`,
      )}
    </dl>
    ${responseTimeChart({ id: `rt-${index}`, label: m.label, points: m.responseTimes })}
  </li>`;
}

function section(title: string, id: string, body: SafeHtml | SafeHtml[], when = true): SafeHtml {
  if (!when) return html``;
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${body}
  </section>`;
}

/**
 * The whole public page as one HTML document: no script, one inline style, every value
 * escaped. The logo is checked again here, so a stored value that no longer validates
 * is left out rather than trusted.
 */
export function renderStatusPage(view: PublicStatusPage): string {
  const logo = view.logo && statusLogoSchema.safeParse(view.logo).success ? view.logo : null;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${view.title} status</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <div class="wrap">
          <header class="top">
            ${logo ? html`<img src="${logo}" alt="" />` : ''}
            <div>
              <h1>${view.title}</h1>
              ${view.description ? html`<p class="muted">${view.description}</p>` : ''}
            </div>
          </header>
          <main>
            <p class="banner ${view.overall}" role="status">${OVERALL_TEXT[view.overall]}</p>
            ${section('Current incidents and maintenance', 'active', view.active.map(post), view.active.length > 0)}
            ${section('Scheduled maintenance', 'upcoming', view.upcoming.map(post), view.upcoming.length > 0)}
            ${section(
              'Services',
              'services',
              html`<ul class="modules">
                ${view.modules.map(moduleCard)}
              </ul>`,
            )}
            ${section('Past notices', 'past', view.past.length > 0 ? view.past.map(post) : html`<p class="muted">Nothing to report in the last 14 days.</p>`)}
          </main>
          <footer>Updated ${timeTag(view.generatedAt)}</footer>
        </div>
      </body>
    </html>`.text;
}
