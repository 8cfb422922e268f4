'use client';

import { useState } from 'react';
import { snapshotNameSchema, type RecoveryProgress, type SnapshotTag } from '@/lib/recovery/snapshot-schema';
import { useCreateSnapshot } from '../queries/use-recovery-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select, TextInput } from '../ui/field';
import { RecoveryProgressBar } from './recovery-progress';

// pre-restore is the worker's own tag; people pick among the others.
const TAG_CHOICES: { tag: SnapshotTag; hint: string }[] = [
  { tag: 'golden', hint: 'a known-good state to restore to' },
  { tag: 'safe', hint: 'good, but not the reference' },
  { tag: 'manual', hint: 'just a checkpoint' },
];

export function CreateSnapshotDialog({ sources, progress }: { sources: { name: string; path: string }[]; progress: RecoveryProgress | null }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [tag, setTag] = useState<SnapshotTag>('golden');
  const create = useCreateSnapshot();
  const running = create.isPending && progress && !progress.finished && progress.operation === 'create' ? progress : null;
  const nameProblem = name && !snapshotNameSchema.safeParse(name).success ? 'letters, digits, . _ and - only, starting with a letter or digit' : null;

  return (
    <>
      <Button
        variant="primary"
        onClick={() => {
          create.reset();
          setOpen(true);
        }}
        data-testid="snapshot-create-open"
      >
        Create snapshot
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Create a snapshot" testId="snapshot-create-dialog">
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              { name: name.trim() || undefined, tags: [tag] },
              {
                onSuccess: () => {
                  setOpen(false);
                  setName('');
                },
              },
            );
          }}
        >
          <p className="text-sm text-muted">
            Hashes every file of {sources.map((s) => s.name).join(', ') || 'the configured sources'} with SHA-256 and stores what changed since the last
            snapshot. Progress shows here and on the dashboard while it runs.
          </p>
          <Field label="Name" hint={nameProblem ?? 'Optional: by default the tag and the time, e.g. golden-2026-01-31-12-00-00.'}>
            <TextInput
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. before-upgrade-4.2"
              maxLength={64}
              className="font-mono"
              data-testid="snapshot-name"
            />
          </Field>
          <Field label="Tag">
            <Select value={tag} onChange={(e) => setTag(e.target.value as SnapshotTag)} data-testid="snapshot-tag">
              {TAG_CHOICES.map((choice) => (
                <option key={choice.tag} value={choice.tag}>
                  {choice.tag} — {choice.hint}
                </option>
              ))}
            </Select>
          </Field>
          {running ? <RecoveryProgressBar progress={running} /> : null}
          <FormError message={create.error ? create.error.message : null} />
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending || nameProblem !== null} data-testid="snapshot-create-submit">
              {create.isPending ? 'Creating…' : 'Create'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
