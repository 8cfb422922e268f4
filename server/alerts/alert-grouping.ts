import { randomUUID } from 'node:crypto';
import { eventLabels, groupKeyOf, ruleMatches, silenceMatches } from '@/lib/alerts/alert-match';
import type { AlertEventSample } from '@/lib/alerts/alert-message';
import type { AlertRule } from '@/lib/alerts/alert-rules';
import type { SilenceView } from '@/lib/alerts/alert-views';
import { severityRank } from '@/lib/alerts/alert-rules';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { DbTx } from '../db/client';
import { openAlertByGroup } from '../queries/alerts';

const SAMPLES_KEPT = 5;

interface GroupBatch {
  rule: AlertRule;
  groupKey: string;
  labels: Record<string, string>;
  events: ChainedAuditEvent[];
}

export const sampleOf = (event: ChainedAuditEvent): AlertEventSample => ({
  seq: event.seq,
  at: event.at,
  type: event.type,
  severity: event.severity,
  action: event.action,
  module: event.module,
  resource: event.resource,
  source: event.source,
});

/** Which group each event joins, per matching rule; events every matching silence covers join none. */
export function groupEvents(input: {
  events: readonly ChainedAuditEvent[];
  rules: readonly AlertRule[];
  silences: readonly SilenceView[];
  localHost: string;
}): GroupBatch[] {
  const groups = new Map<string, GroupBatch>();
  for (const event of input.events) {
    const labels = eventLabels(event, input.localHost);
    for (const rule of input.rules) {
      if (!ruleMatches(rule, event, labels)) continue;
      const ruleLabels = { ...labels, rule: rule.name };
      if (input.silences.some((silence) => silenceMatches(silence.matchers, ruleLabels))) continue;
      const groupKey = groupKeyOf(rule, labels);
      const group: GroupBatch = groups.get(groupKey) ?? { rule, groupKey, labels: ruleLabels, events: [] };
      group.events.push(event);
      groups.set(groupKey, group);
    }
  }
  return [...groups.values()];
}

/**
 * Folds one batch's groups into the alerts, inside the transaction that also moves the cursor:
 * either both happen or neither, so a crash replays the batch instead of losing or doubling it.
 * A new alert waits `groupWaitSeconds` to gather its burst; news of an alert already told
 * waits for the group interval; an acknowledged alert counts events but sends nothing.
 */
export async function foldGroups(tx: DbTx, groups: readonly GroupBatch[], now: Date): Promise<void> {
  for (const group of groups) {
    const { rule, events } = group;
    const first = events[0];
    const last = events[events.length - 1];
    const worst = events.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a)).severity;
    const newest = events.slice(-SAMPLES_KEPT).map(sampleOf);
    const open = await openAlertByGroup(tx, group.groupKey);
    if (!open) {
      await tx.alert.create({
        data: {
          id: randomUUID(),
          groupKey: group.groupKey,
          rule: rule.name,
          severity: worst,
          labels: JSON.stringify(group.labels),
          state: 'firing',
          count: events.length,
          pending: events.length,
          firstSeq: first.seq,
          lastSeq: last.seq,
          firstAt: new Date(first.at),
          lastAt: now,
          samples: JSON.stringify(newest),
          flushAt: new Date(now.getTime() + rule.groupWaitSeconds * 1000),
        },
      });
      continue;
    }
    const firing = open.state === 'firing';
    const samples = [...(JSON.parse(open.samples) as AlertEventSample[]), ...newest].slice(-SAMPLES_KEPT);
    const nextGroupAt = open.notifiedAt ? new Date(Math.max(now.getTime(), open.notifiedAt.getTime() + rule.groupIntervalSeconds * 1000)) : now;
    await tx.alert.update({
      where: { id: open.id },
      data: {
        count: open.count + events.length,
        pending: firing ? open.pending + events.length : 0,
        lastSeq: last.seq,
        lastAt: now,
        severity: severityRank(worst) > severityRank(open.severity as typeof worst) ? worst : open.severity,
        samples: JSON.stringify(samples),
        ...(firing && !open.flushAt && { flushAt: nextGroupAt }),
      },
    });
  }
}
