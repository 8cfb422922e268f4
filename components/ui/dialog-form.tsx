import { Button } from './button';
import { Field, TextInput } from './field';

/** The reason every operator action carries into the audit trail. */
export function ReasonField({
  value,
  onChange,
  placeholder,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  testId: string;
}) {
  return (
    <Field label="Reason" hint="Kept in the audit trail with your name.">
      <TextInput value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} minLength={3} maxLength={500} data-testid={testId} />
    </Field>
  );
}

/** Cancel and submit at the foot of a dialog's form; the submit label changes while it runs. */
export function DialogActions({
  onCancel,
  label,
  pendingLabel,
  pending,
  disabled,
  variant = 'primary',
  testId,
}: {
  onCancel: () => void;
  label: string;
  pendingLabel: string;
  pending: boolean;
  disabled: boolean;
  variant?: 'primary' | 'danger';
  testId: string;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button variant="ghost" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} disabled={disabled || pending} data-testid={testId}>
        {pending ? pendingLabel : label}
      </Button>
    </div>
  );
}
