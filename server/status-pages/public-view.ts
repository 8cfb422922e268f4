import type { ModuleState } from '@/lib/healing/module-schema';
import { CLOSING_STATUSES, labelOf, moduleOf, type StatusPageDefinition, type StatusUpdateStatus } from '@/lib/status-pages/status-page-schema';
import type { PublicPost, PublicStatusPage } from '@/lib/status-pages/status-view';
import {
  dailyResponseTimes,
  DAY_MS,
  overallState,
  publicStateOf,
  uptimeFromChanges,
  uptimeFromDays,
  type DailyStat,
  type StateChange,
} from '@/lib/status-pages/uptime';

export const RESPONSE_TIME_DAYS = 30;
export const UPTIME_DAYS = 90;

export interface StoredPost {
  id: string;
  kind: string;
  title: string;
  impact: string;
  startsAt: Date;
  endsAt: Date | null;
  resolvedAt: Date | null;
  updates: { at: Date; status: string; message: string }[];
}

export interface PublicViewInput {
  page: StatusPageDefinition;
  now: Date;
  states: ReadonlyMap<string, ModuleState>;
  changes: readonly (StateChange & { module: string })[];
  stats: readonly (DailyStat & { module: string })[];
  posts: readonly StoredPost[];
}

function toPublicPost(post: StoredPost): PublicPost {
  return {
    id: post.id,
    kind: post.kind === 'maintenance' ? 'maintenance' : 'incident',
    title: post.title,
    impact: post.impact,
    startsAt: post.startsAt.toISOString(),
    endsAt: post.endsAt?.toISOString() ?? null,
    resolvedAt: post.resolvedAt?.toISOString() ?? null,
    updates: post.updates.map((u) => ({ at: u.at.toISOString(), status: u.status as StatusUpdateStatus, message: u.message })),
  };
}

/** Closed by its last update, or a maintenance whose window is over. */
const isOver = (post: StoredPost, now: Date) =>
  post.resolvedAt !== null ||
  CLOSING_STATUSES.includes(post.updates[0]?.status as StatusUpdateStatus) ||
  (post.kind === 'maintenance' && post.endsAt !== null && post.endsAt <= now);

/**
 * Builds the public page from the page definition and stored history. Each module appears
 * under its label only; what it is, where it points and why it failed stay in the console.
 */
export function buildPublicView({ page, now, states, changes, stats, posts }: PublicViewInput): PublicStatusPage {
  const from24h = new Date(now.getTime() - DAY_MS);
  const modules = page.modules.map((entry) => {
    const name = moduleOf(entry);
    const current = states.get(name) ?? null;
    const own = stats.filter((s) => s.module === name);
    const inMaintenance = posts.some((p) => p.kind === 'maintenance' && !isOver(p, now) && p.startsAt <= now);
    return {
      label: labelOf(entry),
      state: inMaintenance && current !== 'down' ? ('maintenance' as const) : publicStateOf(current),
      uptime: {
        h24: uptimeFromChanges({ changes: changes.filter((c) => c.module === name), current, from: from24h, to: now }),
        d7: uptimeFromDays(own, now, 7),
        d30: uptimeFromDays(own, now, 30),
        d90: uptimeFromDays(own, now, UPTIME_DAYS),
      },
      responseTimes: dailyResponseTimes(own, now, RESPONSE_TIME_DAYS),
    };
  });
  const open = posts.filter((p) => !isOver(p, now));
  return {
    slug: page.slug,
    title: page.title,
    description: page.description ?? null,
    logo: page.logo ?? null,
    overall: overallState(modules.map((m) => m.state)),
    modules,
    active: open.filter((p) => p.startsAt <= now).map(toPublicPost),
    upcoming: open
      .filter((p) => p.startsAt > now)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map(toPublicPost),
    past: posts.filter((p) => isOver(p, now)).map(toPublicPost),
    generatedAt: now.toISOString(),
  };
}
