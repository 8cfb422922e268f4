'use client';

import { useState } from 'react';
import type { HostView } from '@/lib/fleet/fleet-api';
import { useRevokeHost } from '../queries/use-fleet-query';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, TextInput } from '../ui/field';

/** Revocation cannot be undone (the agent must enroll again with a new token): the host's name is typed to confirm. */
export function RevokeHostDialog({ host, onClose }: { host: HostView; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const revoke = useRevokeHost();
  const confirmed = typed.trim() === host.name;
  return (
    <Dialog open onClose={onClose} title={`Revoke ${host.name}`} dismissible={!revoke.isPending} testId="revoke-host-dialog">
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmed) revoke.mutate(host.id, { onSuccess: onClose });
        }}
      >
        <p className="text-sm text-muted">
          The console disconnects <span className="font-mono font-medium text-text">{host.name}</span> now and refuses it from then on. The agent keeps healing
          and defending its own host, but reports nothing and takes no command from this console until it is enrolled again with a new token.
        </p>
        <Field label={`Type ${host.name} to confirm`}>
          <TextInput
            autoFocus
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            disabled={revoke.isPending}
            data-testid="revoke-host-confirm"
          />
        </Field>
        <FormError message={revoke.error ? revoke.error.message : null} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose} disabled={revoke.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={!confirmed || revoke.isPending} data-testid="revoke-host-submit">
            {revoke.isPending ? 'Revoking…' : 'Revoke host'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
