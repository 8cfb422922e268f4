import { randomBytes } from 'node:crypto';
import { describeIssues } from '@/lib/http-error';
import type { ModuleState } from '@/lib/healing/module-schema';
import {
  CLOSING_STATUSES,
  moduleOf,
  statusPageSchema,
  type CreateStatusPost,
  type StatusPageDefinition,
  type StatusPostUpdateInput,
} from '@/lib/status-pages/status-page-schema';
import type { PublicStatusPage } from '@/lib/status-pages/status-view';
import { DAY_MS, dayBefore } from '@/lib/status-pages/uptime';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import {
  appendStatusPostUpdate,
  deleteStatusPage,
  deleteStatusPost,
  findStatusPost,
  insertStatusPost,
  listStatusPosts,
  listStoredStatusPages,
  moduleDailyStatsSince,
  saveStatusPage,
  stateChangesSince,
} from '../queries/status-pages';
import { buildPublicView, UPTIME_DAYS } from './public-view';
import { StatusPageError } from './status-page-error';

/** How long a built public page is served from memory: a burst of visitors costs one build. */
export const PUBLIC_VIEW_TTL_MS = 15_000;
const PAST_POSTS_MS = 14 * DAY_MS;

export interface StatusPageServiceOptions {
  database: Database;
  audit: Pick<AuditWriter, 'append'>;
  log: Logger;
  /** The config file's pages (they win over the console's on a slug). */
  configPages: () => StatusPageDefinition[];
  /** Each module's current state, by name. */
  moduleStates: () => Promise<ReadonlyMap<string, ModuleState>>;
  now?: () => Date;
}

export interface StatusPageListing {
  page: StatusPageDefinition;
  source: 'config' | 'console';
}

/**
 * Status pages from the config file and the console, the operators' posts on them, and the
 * public view of each, built from stored history and cached briefly.
 */
export class StatusPageService {
  private stored = new Map<string, StatusPageDefinition>();
  private cache = new Map<string, { view: PublicStatusPage; until: number }>();
  private building = new Map<string, Promise<PublicStatusPage>>();
  private readonly now: () => Date;

  constructor(private readonly options: StatusPageServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** False when the database could not be read: the config file's pages are served meanwhile. */
  async load(): Promise<boolean> {
    const rows = await listStoredStatusPages(this.options.database).catch((error: unknown) => {
      this.options.log.warn({ err: error }, "the console's status pages cannot be read now; the config file's pages are served until they can");
      return null;
    });
    if (rows === null) return false;
    const loaded = new Map<string, StatusPageDefinition>();
    for (const row of rows) {
      const parsed = statusPageSchema.safeParse(JSON.parse(row.definition));
      if (parsed.success) loaded.set(row.slug, parsed.data);
      else this.options.log.error({ page: row.slug }, `stored status page no longer validates: ${describeIssues(parsed.error.issues)}`);
    }
    this.stored = loaded;
    this.cache.clear();
    return true;
  }

  /** After a change: the next visitor sees it, not a view built before it. */
  private forget(slug: string): void {
    this.cache.delete(slug);
    this.building.delete(slug);
  }

  list(): StatusPageListing[] {
    const fromFile = this.options.configPages();
    const slugs = new Set(fromFile.map((p) => p.slug));
    return [
      ...fromFile.map((page) => ({ page, source: 'config' as const })),
      ...[...this.stored.values()].filter((p) => !slugs.has(p.slug)).map((page) => ({ page, source: 'console' as const })),
    ];
  }

  private find(slug: string): StatusPageDefinition {
    const found = this.list().find((l) => l.page.slug === slug);
    if (!found) throw new StatusPageError('not_found', `no status page ${JSON.stringify(slug)}`);
    return found.page;
  }

  /** Custom domains: host name → slug. */
  domains(): Record<string, string> {
    return Object.fromEntries(this.list().flatMap(({ page }) => (page.domain ? [[page.domain, page.slug]] : [])));
  }

  async save(page: StatusPageDefinition, actor: string): Promise<StatusPageDefinition> {
    if (this.options.configPages().some((p) => p.slug === page.slug))
      throw new StatusPageError('conflict', `status page ${page.slug} is defined in the config file; change it there`);
    const clash = page.domain ? this.list().find((l) => l.page.domain === page.domain && l.page.slug !== page.slug) : undefined;
    if (clash) throw new StatusPageError('conflict', `domain ${page.domain} already serves status page ${clash.page.slug}`);
    const existed = this.stored.has(page.slug);
    await saveStatusPage(this.options.database.prisma, { slug: page.slug, definition: JSON.stringify(page), actor });
    this.stored.set(page.slug, page);
    this.forget(page.slug);
    await this.options.audit.append({
      type: existed ? 'status_page.updated' : 'status_page.created',
      severity: 'notice',
      actor,
      action: `${existed ? 'update' : 'create'} status page ${page.slug}`,
      module: 'status-pages',
      resource: `status-page:${page.slug}`,
      method: 'console',
      details: {
        title: page.title,
        modules: page.modules.map(moduleOf),
        domain: page.domain ?? null,
        logo: page.logo ? (page.logo.startsWith('data:') ? 'uploaded' : page.logo) : null,
      },
    });
    return page;
  }

  async remove(slug: string, actor: string): Promise<void> {
    if (this.options.configPages().some((p) => p.slug === slug))
      throw new StatusPageError('conflict', `status page ${slug} is defined in the config file; remove it there`);
    if (!(await deleteStatusPage(this.options.database.prisma, slug))) throw new StatusPageError('not_found', `no status page ${JSON.stringify(slug)}`);
    this.stored.delete(slug);
    this.forget(slug);
    await this.options.audit.append({
      type: 'status_page.removed',
      severity: 'notice',
      actor,
      action: `remove status page ${slug}`,
      module: 'status-pages',
      resource: `status-page:${slug}`,
      method: 'console',
    });
  }

  async createPost(slug: string, input: CreateStatusPost, actor: string): Promise<{ id: string }> {
    this.find(slug);
    const now = this.now();
    const id = randomBytes(9).toString('base64url');
    const startsAt = input.startsAt ? new Date(input.startsAt) : now;
    await insertStatusPost(this.options.database.prisma, {
      id,
      page: slug,
      kind: input.kind,
      title: input.title,
      impact: input.kind === 'maintenance' ? 'maintenance' : input.impact,
      startsAt,
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      createdBy: actor,
      firstUpdate: { at: now, status: input.kind === 'maintenance' ? 'scheduled' : 'investigating', message: input.message, author: actor },
    });
    this.forget(slug);
    await this.options.audit.append({
      type: input.kind === 'maintenance' ? 'status_page.maintenance_scheduled' : 'status_page.incident_posted',
      severity: input.impact === 'major' ? 'warning' : 'notice',
      actor,
      action: `${input.kind === 'maintenance' ? 'schedule maintenance' : 'post incident'} "${input.title}" on status page ${slug}`,
      module: 'status-pages',
      resource: `status-post:${id}`,
      method: 'console',
      details: { page: slug, kind: input.kind, impact: input.impact, startsAt: startsAt.toISOString(), endsAt: input.endsAt ?? null, message: input.message },
    });
    return { id };
  }

  private async postOn(slug: string, id: string) {
    this.find(slug);
    const post = await findStatusPost(this.options.database.prisma, id);
    if (!post || post.page !== slug) throw new StatusPageError('not_found', `no post ${JSON.stringify(id)} on status page ${slug}`);
    return post;
  }

  async addUpdate(slug: string, id: string, input: StatusPostUpdateInput, actor: string): Promise<void> {
    const post = await this.postOn(slug, id);
    const closes = CLOSING_STATUSES.includes(input.status);
    await appendStatusPostUpdate(this.options.database.prisma, {
      postId: id,
      at: this.now(),
      status: input.status,
      message: input.message,
      author: actor,
      closes,
    });
    this.forget(slug);
    await this.options.audit.append({
      type: 'status_page.post_updated',
      severity: 'notice',
      actor,
      action: `update "${post.title}" on status page ${slug}: ${input.status}`,
      module: 'status-pages',
      resource: `status-post:${id}`,
      method: 'console',
      details: { page: slug, status: input.status, message: input.message },
    });
  }

  async removePost(slug: string, id: string, actor: string): Promise<void> {
    const post = await this.postOn(slug, id);
    await deleteStatusPost(this.options.database.prisma, id);
    this.forget(slug);
    await this.options.audit.append({
      type: 'status_page.post_removed',
      severity: 'notice',
      actor,
      action: `remove "${post.title}" from status page ${slug}`,
      module: 'status-pages',
      resource: `status-post:${id}`,
      method: 'console',
    });
  }

  /** The console's view of a page's posts: the same list the public sees, with closed ones. */
  async posts(slug: string) {
    this.find(slug);
    const view = await this.publicView(slug);
    return { active: view.active, upcoming: view.upcoming, past: view.past };
  }

  /** The public page, from memory when built in the last few seconds; one build at a time per page. */
  async publicView(slug: string): Promise<PublicStatusPage> {
    const page = this.find(slug);
    const cached = this.cache.get(slug);
    if (cached && cached.until > this.now().getTime()) return cached.view;
    let building = this.building.get(slug);
    if (!building) {
      building = this.build(page).finally(() => this.building.delete(slug));
      this.building.set(slug, building);
    }
    const view = await building;
    this.cache.set(slug, { view, until: this.now().getTime() + PUBLIC_VIEW_TTL_MS });
    return view;
  }

  private async build(page: StatusPageDefinition): Promise<PublicStatusPage> {
    const now = this.now();
    const names = page.modules.map(moduleOf);
    const db = this.options.database.prisma;
    const [states, changes, stats, posts] = await Promise.all([
      this.options.moduleStates(),
      stateChangesSince(db, names, new Date(now.getTime() - DAY_MS)),
      moduleDailyStatsSince(db, names, dayBefore(now, UPTIME_DAYS - 1)),
      listStatusPosts(db, page.slug, new Date(now.getTime() - PAST_POSTS_MS)),
    ]);
    return buildPublicView({ page, now, states, changes, stats, posts });
  }
}
