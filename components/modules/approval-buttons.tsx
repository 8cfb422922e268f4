'use client';

import { useDecideApproval } from '../queries/use-module-mutations';
import { Button } from '../ui/button';

/** Approve runs the waiting action now; reject hands the incident to people (escalation level 3). */
export function ApprovalButtons({ name, onError }: { name: string; onError?: (message: string | null) => void }) {
  const decide = useDecideApproval();
  const send = (approve: boolean) => {
    onError?.(null);
    decide.mutate({ name, approve }, { onError: (error) => onError?.(`${approve ? 'Approve' : 'Reject'} ${name}: ${error.message}`) });
  };
  return (
    <div className="flex gap-1">
      <Button variant="primary" className="h-7 px-2 text-xs" disabled={decide.isPending} onClick={() => send(true)} data-testid="approval-approve">
        {decide.isPending && decide.variables?.approve ? 'Approving…' : 'Approve'}
      </Button>
      <Button variant="ghost-danger" className="h-7 px-2 text-xs" disabled={decide.isPending} onClick={() => send(false)} data-testid="approval-reject">
        Reject
      </Button>
    </div>
  );
}
