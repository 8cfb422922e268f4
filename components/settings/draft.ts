/** A copy of `value` with `leaf` at `path`: drafts are replaced, never changed in place, so React sees each edit. */
export function setIn<T>(value: T, path: (string | number)[], leaf: unknown): T {
  if (path.length === 0) return leaf as T;
  const [head, ...rest] = path;
  const container = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  container[head] = setIn(container[head], rest, leaf);
  return container as T;
}

/** "a, b" → ["a", "b"]; an empty box is an empty list. */
export const listOfText = (text: string): string[] =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** An emptied number box stays in the draft as NaN, so the schema names the field instead of a 0 slipping in. */
export const numberOfText = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
