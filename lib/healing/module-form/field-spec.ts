import type { ModuleKind } from '@/lib/healing/module-schema';

/**
 * One input of the module form. The form holds text; `number` and `lines` say how that text
 * becomes the definition's value, so the one module schema can judge it as the operator types.
 */
export type FieldSpec = {
  key: string;
  label: string;
  placeholder?: string;
  hint?: string;
  /** Left out of the definition when blank, so the schema's default applies. */
  optional?: boolean;
  /** Only admins may fill it (the worker refuses it from anyone else). */
  adminOnly?: boolean;
  mono?: boolean;
  /** Shares a row with the next field on wide screens. */
  narrow?: boolean;
} & (
  | { type: 'text' | 'number' | 'token' }
  | { type: 'select'; options: readonly string[] }
  | { type: 'check' }
  /** One value per line: a list of strings (an argv, expected answers, resource rules). */
  | { type: 'lines'; rows?: number }
);

export interface KindSpec {
  kind: ModuleKind;
  /** What the kind checks, shown under the kind picker. */
  summary: string;
  /** Process and command modules make the worker run a program: admins only. */
  adminOnly?: boolean;
  fields: readonly FieldSpec[];
}
