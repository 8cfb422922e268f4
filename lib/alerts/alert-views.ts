import type { Severity } from '../audit/types';
import type { AlertEventSample } from './alert-message';
import type { AlertRule, SilenceMatcher } from './alert-rules';

export type AlertState = 'firing' | 'acknowledged' | 'resolved';

/** An alert as the console lists it. */
export interface AlertView {
  id: string;
  rule: string;
  severity: Severity;
  state: AlertState;
  labels: Record<string, string>;
  count: number;
  firstAt: string;
  lastAt: string;
  notifiedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  ackComment: string | null;
  resolvedAt: string | null;
  samples: AlertEventSample[];
}

export interface SilenceView {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  author: string;
  comment: string;
  active: boolean;
}

/** Where a rule in force comes from: the shipped set, the config file or the console (which wins). */
export type RuleOrigin = 'shipped' | 'config' | 'console';
export interface RuleView {
  rule: AlertRule;
  origin: RuleOrigin;
}
