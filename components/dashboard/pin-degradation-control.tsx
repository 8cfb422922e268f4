'use client';

import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DEGRADATION_LEVELS, type DegradationLevel } from '@/lib/health/degradation';
import { LEVEL_STYLE } from '@/lib/health/level-style';
import type { HealthSnapshot } from '@/lib/health/types';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select, TextInput } from '../ui/field';

/** Operators can shed load by hand: hold the level at least this degraded until released. */
export function PinDegradationControl({ pinned }: { pinned: DegradationLevel | null }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState<DegradationLevel>('LEVEL_1');
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: (body: { level: DegradationLevel | null; reason: string }) => apiFetch<HealthSnapshot>('/api/degradation/pin', { method: 'POST', body }),
    onSuccess: (snapshot) => {
      client.setQueryData(queryKeys.healthCurrent(), snapshot);
      void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
      setOpen(false);
      setReason('');
    },
  });

  const submit = (target: DegradationLevel | null) => mutation.mutate({ level: target, reason });

  return (
    <>
      <Button
        onClick={() => {
          mutation.reset();
          setOpen(true);
        }}
        data-testid="pin-open"
      >
        {pinned ? 'Change hold' : 'Hold level'}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={pinned ? `Degradation held at ${LEVEL_STYLE[pinned].label} or worse` : 'Hold the degradation level'}
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit(level);
          }}
        >
          <p className="text-sm text-muted">
            Features of the chosen level stay off even if the health score recovers, until the hold is released. A worse computed level still applies. Recorded
            in the audit trail.
          </p>
          <Field label="Hold at least at">
            <Select value={level} onChange={(e) => setLevel(e.target.value as DegradationLevel)} data-testid="pin-level">
              {DEGRADATION_LEVELS.filter((l) => l !== 'NORMAL').map((l) => (
                <option key={l} value={l}>
                  {LEVEL_STYLE[l].label} — {LEVEL_STYLE[l].summary}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Reason" hint="Shown to other operators and kept in the audit trail.">
            <TextInput
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder="e.g. database migration in progress"
              required
              minLength={3}
              maxLength={500}
              data-testid="pin-reason"
            />
          </Field>
          <FormError message={mutation.error ? mutation.error.message : null} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            {pinned ? (
              <Button variant="secondary" disabled={reason.trim().length < 3 || mutation.isPending} onClick={() => submit(null)} data-testid="pin-release">
                Release hold
              </Button>
            ) : null}
            <Button type="submit" variant="primary" disabled={reason.trim().length < 3 || mutation.isPending} data-testid="pin-submit">
              {mutation.isPending ? 'Applying…' : 'Hold'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
