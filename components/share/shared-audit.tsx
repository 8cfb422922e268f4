import { EmptyState } from '../ui/empty-state';
import { Panel } from '../ui/panel';

/** Placeholder until the audit timeline component lands; renders the frozen filters. */
export function SharedAudit({ query }: { token: string; query: Record<string, string>; redactSources: boolean }) {
  return (
    <Panel title="Audit trail">
      <EmptyState title="Audit view">{new URLSearchParams(query).toString() || 'all events'}</EmptyState>
    </Panel>
  );
}
