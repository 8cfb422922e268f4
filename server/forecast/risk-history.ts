import type { RiskHistoryView } from '@/lib/forecast/forecast-views';

const MINUTE = 60_000;

/** Risk per subsystem per minute (the worst of the minute), for the last `hours`. In memory: it refills after a restart. */
export class RiskHistory {
  private columns: number[] = [];
  private rows = new Map<string, (number | null)[]>();

  constructor(private hours: number) {}

  resize(hours: number): void {
    this.hours = hours;
  }

  record(at: number, risks: ReadonlyMap<string, number>): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    if (this.columns[this.columns.length - 1] !== minute) {
      this.columns.push(minute);
      for (const row of this.rows.values()) row.push(null);
    }
    const col = this.columns.length - 1;
    for (const [id, risk] of risks) {
      let row = this.rows.get(id);
      if (!row) {
        row = new Array<number | null>(this.columns.length).fill(null);
        this.rows.set(id, row);
      }
      row[col] = Math.max(row[col] ?? 0, risk);
    }
    const keep = Math.ceil((this.hours * 60 * MINUTE) / MINUTE);
    const drop = this.columns.length - keep;
    if (drop > 0) {
      this.columns.splice(0, drop);
      for (const row of this.rows.values()) row.splice(0, drop);
    }
    for (const [id, row] of this.rows) if (!risks.has(id) && row.every((v) => v === null)) this.rows.delete(id);
  }

  view(ids?: ReadonlySet<string>): RiskHistoryView {
    const rows: Record<string, (number | null)[]> = {};
    for (const [id, row] of this.rows) if (!ids || ids.has(id)) rows[id] = row;
    return { columns: this.columns.map((t) => new Date(t).toISOString()), rows };
  }
}
