'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { cn } from '../ui/cn';
import { ListButton } from './setting-field';

type Move = 'up' | 'down';

const moved = <T,>(items: readonly T[], at: number, to: number): T[] => {
  const next = [...items];
  const [item] = next.splice(at, 1);
  next.splice(to, 0, item);
  return next;
};

/**
 * The rows of a list in a settings section (snapshot sources, integrity paths, log files,
 * channels, headers, blocklists): each row's own fields, then Move up, Move down and Remove, and
 * "Add …" under the list. Every button is named after its row, so a screen reader hears which
 * row it acts on; after a move the focus follows the row, so the keys can move it again.
 */
export function ListEditor<T>({
  items,
  onChange,
  readOnly,
  rowLabel,
  addLabel,
  newItem,
  empty,
  rowTestId,
  columns = 3,
  reorder = true,
  actions,
  children,
}: {
  items: readonly T[];
  onChange: (next: T[]) => void;
  readOnly: boolean;
  /** What a row is called in its buttons ("source site", "path /etc"). */
  rowLabel: (item: T, at: number) => string;
  addLabel: string;
  newItem: (count: number) => T;
  empty: ReactNode;
  rowTestId: string;
  columns?: 1 | 2 | 3;
  /** Off where order means nothing (a webhook's headers); a single row has nothing to move past, so it shows none. */
  reorder?: boolean;
  /** Buttons of the row's own, first in its button bar (a channel's "Send test"). */
  actions?: (item: T, at: number) => ReactNode;
  children: (item: T, at: number) => ReactNode;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  // Where the focus goes once the moved row has rendered in its new place.
  const focusAfterMove = useRef<{ at: number; move: Move } | null>(null);
  useEffect(() => {
    const pending = focusAfterMove.current;
    if (!pending) return;
    focusAfterMove.current = null;
    const row = listRef.current?.querySelector(`[data-list-row="${pending.at}"]`);
    // At the top or bottom the pressed button is disabled now: the other one keeps the focus in the row.
    const button =
      row?.querySelector<HTMLButtonElement>(`[data-move="${pending.move}"]:not(:disabled)`) ??
      row?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
    button?.focus();
  });
  const move = (at: number, direction: Move) => {
    const to = direction === 'up' ? at - 1 : at + 1;
    focusAfterMove.current = { at: to, move: direction };
    onChange(moved(items, at, to));
  };
  return (
    <>
      {items.length === 0 ? <p className="text-sm text-muted">{empty}</p> : null}
      <ul ref={listRef} className="flex flex-col gap-3">
        {items.map((item, at) => {
          const name = rowLabel(item, at);
          return (
            <li
              key={at}
              data-list-row={at}
              data-testid={rowTestId}
              className={cn(
                'grid min-w-0 grid-cols-1 gap-3 rounded-md border border-border p-3',
                columns === 2 ? 'sm:grid-cols-2' : columns === 3 ? 'sm:grid-cols-3' : '',
              )}
            >
              {children(item, at)}
              {readOnly && !actions ? null : (
                <div className={cn('flex flex-wrap items-center gap-2', columns === 2 ? 'sm:col-span-2' : columns === 3 ? 'sm:col-span-3' : '')}>
                  {actions?.(item, at)}
                  {reorder && !readOnly && items.length > 1 ? (
                    <>
                      <ListButton label="Move up" rowName={name} disabled={at === 0} move="up" onClick={() => move(at, 'up')} readOnly={false} />
                      <ListButton
                        label="Move down"
                        rowName={name}
                        disabled={at === items.length - 1}
                        move="down"
                        onClick={() => move(at, 'down')}
                        readOnly={false}
                      />
                    </>
                  ) : null}
                  <ListButton remove label={`Remove ${name}`} readOnly={readOnly} onClick={() => onChange(items.filter((_, i) => i !== at))} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <ListButton label={addLabel} readOnly={readOnly} onClick={() => onChange([...items, newItem(items.length)])} />
    </>
  );
}
