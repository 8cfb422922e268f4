/** The <option>s of a Select whose values are also their labels (roles, modes…). */
export function SelectOptions({ values }: { values: readonly string[] }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {value}
    </option>
  ));
}
