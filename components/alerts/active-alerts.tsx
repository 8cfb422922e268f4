'use client';

import type { AlertView } from '@/lib/alerts/alert-views';
import { formatClock } from '@/lib/format';
import { Badge, type Tone } from '../ui/badge';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';
import { useAcknowledgeAlert } from './use-alerts';

const STATE_TONE: Record<AlertView['state'], Tone> = { firing: 'crit', acknowledged: 'warn', resolved: 'ok' };

/** Open alerts first, then the recently resolved; an operator acknowledges with one button. */
export function ActiveAlerts({ alerts, canOperate }: { alerts: AlertView[]; canOperate: boolean }) {
  const acknowledge = useAcknowledgeAlert();
  if (alerts.length === 0) return <p className="text-sm text-muted">No alerts. Rules that match an event open one here.</p>;
  return (
    <div className="flex flex-col gap-2">
      <FormError message={acknowledge.error ? acknowledge.error.message : null} />
      <ul className="flex flex-col gap-2" data-testid="alert-list">
        {alerts.map((alert) => (
          <li key={alert.id} className="rounded-md border border-border p-3" data-testid="alert-row" data-state={alert.state}>
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={STATE_TONE[alert.state]} testId="alert-state">
                {alert.state}
              </Badge>
              <Badge tone={alert.severity === 'critical' ? 'crit' : 'neutral'}>{alert.severity}</Badge>
              <span className="font-medium">{alert.rule}</span>
              <span className="text-xs text-muted" data-testid="alert-count">
                {alert.count} event{alert.count === 1 ? '' : 's'}
              </span>
              {canOperate && alert.state === 'firing' ? (
                <Button
                  className="ml-auto"
                  variant="primary"
                  disabled={acknowledge.isPending}
                  onClick={() => acknowledge.mutate({ id: alert.id, comment: '' })}
                  data-testid="alert-acknowledge"
                >
                  Acknowledge
                </Button>
              ) : null}
            </div>
            <p className="mt-1 break-all text-xs text-muted">
              {[alert.labels.type, alert.labels.module, alert.labels.resource].filter(Boolean).join(' · ')} · first {formatClock(alert.firstAt)}, last{' '}
              {formatClock(alert.lastAt)}
              {alert.acknowledgedBy ? ` · acknowledged by ${alert.acknowledgedBy}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
