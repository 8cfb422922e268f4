'use client';

import { useState } from 'react';
import type { DefenseOverview } from '@/lib/defense/defense-types';
import { useLiftLockdown, useLockdown } from '../queries/use-defense-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { DialogActions, ReasonField } from '../ui/dialog-form';
import { Field, FormError, Select, TextInput } from '../ui/field';

const CONFIRM_WORD = 'LOCKDOWN';

const EXPIRY_CHOICES = [
  { label: 'until lifted', minutes: 0 },
  { label: '30 minutes', minutes: 30 },
  { label: '1 hour', minutes: 60 },
  { label: '4 hours', minutes: 240 },
  { label: '24 hours', minutes: 1440 },
];

/** Typing the word is the guard against a stray click locking everyone out. */
function EngageDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [expiry, setExpiry] = useState(0);
  const [confirmation, setConfirmation] = useState('');
  const lockdown = useLockdown();
  const ready = reason.trim().length >= 3 && confirmation === CONFIRM_WORD;
  const close = () => {
    lockdown.reset();
    setReason('');
    setConfirmation('');
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="Engage LOCKDOWN" testId="lockdown-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready) return;
          const expiresAt = expiry ? new Date(Date.now() + expiry * 60_000).toISOString() : undefined;
          lockdown.mutate({ reason: reason.trim(), expiresAt }, { onSuccess: close });
        }}
      >
        <p className="text-sm text-muted">
          Only allowlisted sources will pass the guard: every other client of the protected services gets 403. Configuration is frozen and operators other than
          administrators become read-only until it is lifted or expires.
        </p>
        <ReasonField value={reason} onChange={setReason} placeholder="e.g. credential stuffing against the API" testId="lockdown-reason" />
        <Field label="Ends">
          <Select value={expiry} onChange={(e) => setExpiry(Number(e.target.value))} data-testid="lockdown-expiry">
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.minutes} value={choice.minutes}>
                {choice.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={`Type ${CONFIRM_WORD} to confirm`}>
          <TextInput
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            data-testid="lockdown-confirm"
          />
        </Field>
        <FormError message={lockdown.error ? lockdown.error.message : null} />
        <DialogActions
          onCancel={close}
          label="Engage LOCKDOWN"
          pendingLabel="Locking down…"
          pending={lockdown.isPending}
          disabled={!ready}
          variant="danger"
          testId="lockdown-submit"
        />
      </form>
    </Dialog>
  );
}

function LiftDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const lift = useLiftLockdown();
  const close = () => {
    lift.reset();
    setReason('');
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="Lift LOCKDOWN" testId="lift-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim().length >= 3) lift.mutate({ reason: reason.trim() }, { onSuccess: close });
        }}
      >
        <p className="text-sm text-muted">Sources that are not isolated pass the guard again, and operators can make changes again.</p>
        <ReasonField value={reason} onChange={setReason} placeholder="e.g. attack mitigated upstream" testId="lift-reason" />
        <FormError message={lift.error ? lift.error.message : null} />
        <DialogActions
          onCancel={close}
          label="Lift LOCKDOWN"
          pendingLabel="Lifting…"
          pending={lift.isPending}
          disabled={reason.trim().length < 3}
          testId="lift-submit"
        />
      </form>
    </Dialog>
  );
}

/** The administrator's lockdown switch: engage with a typed confirmation, lift with a reason. */
export function LockdownControl({ overview, testIdPrefix = '' }: { overview: DefenseOverview; testIdPrefix?: string }) {
  // One state per dialog: the mode flips live while the engage dialog closes, and a shared
  // "open" would pop the lift dialog up right after engaging.
  const [dialog, setDialog] = useState<'engage' | 'lift' | null>(null);
  const locked = overview.mode === 'LOCKDOWN';
  return (
    <>
      {locked ? (
        <Button variant="primary" onClick={() => setDialog('lift')} data-testid={`${testIdPrefix}lift-open`}>
          Lift lockdown
        </Button>
      ) : (
        <Button variant="danger" onClick={() => setDialog('engage')} data-testid={`${testIdPrefix}lockdown-open`}>
          Lockdown…
        </Button>
      )}
      <LiftDialog open={dialog === 'lift'} onClose={() => setDialog(null)} />
      <EngageDialog open={dialog === 'engage'} onClose={() => setDialog(null)} />
    </>
  );
}
