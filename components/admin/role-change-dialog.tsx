'use client';

import type { Role } from '@/lib/auth/roles';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/field';

const ROLE_MEANING: Record<Role, string> = {
  viewer: 'can read everything and change nothing',
  operator: 'can act on modules, threats and snapshots',
  admin: 'can also manage users, tokens, lockdown and restores',
};

/** A role is access: picking one in a dropdown only proposes it, this dialog applies it. */
export function RoleChangeDialog({
  username,
  from,
  to,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  username: string;
  from: Role;
  to: Role;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog open onClose={onCancel} title="Change role" dismissible={!pending} testId="role-change-dialog">
      <div className="flex flex-col gap-4">
        <p className="text-sm">
          Change <strong>{username}</strong> from <strong>{from}</strong> to <strong>{to}</strong>? As {to} they {ROLE_MEANING[to]}. Their open sessions follow
          the new role at their next request.
        </p>
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button variant="primary" onClick={onConfirm} disabled={pending} data-testid="role-change-confirm">
            {pending ? 'Changing…' : `Make ${to}`}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
