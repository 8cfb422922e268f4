import type { ModuleKind } from '../module-schema';
import type { Vantage } from '../vantage-schema';
import { selectVantageHosts, type VantageHost } from '../vantage-select';

/** The kinds the module schema lets several hosts probe. */
export const VANTAGE_KINDS: readonly ModuleKind[] = ['http', 'keyword', 'tcp'];

export const takesVantage = (kind: ModuleKind) => VANTAGE_KINDS.includes(kind);

/** The vantage part of the module form, as typed: lists are text, the quorum is text until checked. */
export interface VantageDraft {
  /** Off: the console alone probes, and no `vantage` key is sent. */
  enabled: boolean;
  /** Host names or ids, separated by commas or spaces. */
  hosts: string;
  /** `name=value` pairs, separated by commas or spaces. */
  labels: string;
  includeConsole: boolean;
  quorum: string;
}

export function emptyVantageDraft(): VantageDraft {
  return { enabled: false, hosts: '', labels: '', includeConsole: true, quorum: '2' };
}

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/**
 * The `vantage` value the draft stands for, left to the module schema to judge: an id is a
 * number, a pair without `=` becomes a label with an empty value (which the schema names), and
 * a quorum that is no number goes as text so the schema says so under the field.
 */
export function vantageOf(draft: VantageDraft): Record<string, unknown> {
  const labels = Object.fromEntries(
    words(draft.labels).map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
  const quorum = draft.quorum.trim();
  return {
    hosts: words(draft.hosts).map((host) => (/^\d+$/.test(host) ? Number(host) : host)),
    ...(Object.keys(labels).length > 0 && { labels }),
    includeConsole: draft.includeConsole,
    quorum: quorum !== '' && Number.isFinite(Number(quorum)) ? Number(quorum) : quorum,
  };
}

/** The form for a stored vantage, to edit it. */
export function vantageDraftOf(vantage: Vantage | undefined): VantageDraft {
  if (!vantage) return emptyVantageDraft();
  return {
    enabled: true,
    hosts: vantage.hosts.join(', '),
    labels: Object.entries(vantage.labels ?? {})
      .map(([name, value]) => `${name}=${value}`)
      .join(', '),
    includeConsole: vantage.includeConsole,
    quorum: String(vantage.quorum),
  };
}

/**
 * "Down when 2 of 3 vantage points see it down", counted as the console will count them: the
 * named and labelled agents the fleet has now, plus the console when it votes. Null while the
 * draft has no usable quorum.
 */
export function quorumSentence(draft: VantageDraft, fleet: readonly VantageHost[] | undefined): string | null {
  const vantage = vantageOf(draft);
  const quorum = vantage.quorum;
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1) return null;
  const selection = { hosts: vantage.hosts as Vantage['hosts'], labels: vantage.labels as Vantage['labels'] };
  const console = draft.includeConsole ? 1 : 0;
  // Without the fleet's list (or with labels it cannot see), only the named points are certain.
  const points = fleet ? selectVantageHosts(selection, fleet).length + console : selection.labels ? null : new Set(selection.hosts).size + console;
  const of = points === null ? 'the vantage points' : `${points} vantage point${points === 1 ? '' : 's'}`;
  const reach = selection.labels && points !== null && quorum > points ? ` Fewer than ${quorum} match now: it is down when all of them see it down.` : '';
  return `Down when ${quorum} of ${of} see it down; when fewer do, the trouble is theirs, and the module is degraded rather than down.${reach}`;
}
