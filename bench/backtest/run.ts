// npm run backtest [-- --method holt|theil-sen] [--verbose]
// Replays the committed series through the forecaster's predictors and scores the predictions.
// recorded.json holds faults measured on a real machine (bench/backtest/record.ts). Neither it nor
// the held-out set was looked at while tuning, so the last line scores the two together.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scoreSet, TUNED, type Score, type Tuning } from './evaluate';
import { backtestSeriesSchema } from './series';

const dir = path.dirname(fileURLToPath(import.meta.url));
const load = (file: string) => z.array(backtestSeriesSchema).parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));

const args = process.argv.slice(2);
const methodArg = args.indexOf('--method');
const tuning: Tuning = { ...TUNED, ...(methodArg >= 0 ? { method: z.enum(['holt', 'theil-sen']).parse(args[methodArg + 1]) } : {}) };
const verbose = args.includes('--verbose');

function describe(label: string, score: Score): void {
  const { counts } = score;
  console.log(
    `${label.padEnd(9)} precision ${score.precision.toFixed(2)}  recall ${score.recall.toFixed(2)}  median lead ${score.medianLeadMinutes.toFixed(1)} min  (tp ${counts.tp} fp ${counts.fp} fn ${counts.fn} tn ${counts.tn})`,
  );
  const kinds = [...new Set(score.outcomes.map((o) => o.kind))];
  for (const kind of kinds) {
    const mine = score.outcomes.filter((o) => o.kind === kind);
    const tally = (v: string) => mine.filter((o) => o.verdict === v).length;
    const leads = mine.flatMap((o) => (o.leadMinutes === null ? [] : [o.leadMinutes]));
    console.log(`  ${kind.padEnd(9)} tp ${tally('tp')} fp ${tally('fp')} fn ${tally('fn')} tn ${tally('tn')}  leads ${leads.join(',') || '-'}`);
  }
  if (verbose)
    for (const o of score.outcomes.filter((x) => x.verdict === 'fp' || x.verdict === 'fn')) console.log(`    ${o.verdict} ${o.id} alarm at ${o.alarmAt}`);
}

const train = load('train.json');
const holdout = load('holdout.json');
const recorded = load('recorded.json');
console.log(
  `method ${tuning.method}, window ${tuning.windowMinutes} min, alarm at p>=${tuning.alarmProbability} within ${tuning.horizonMinutes} min, confirm ${tuning.confirm}`,
);
console.log(`series: train ${train.length}, held-out ${holdout.length}, recorded ${recorded.length}`);
describe('train', scoreSet(train, tuning));
describe('held-out', scoreSet(holdout, tuning));
if (recorded.length) describe('recorded', scoreSet(recorded, tuning));
const result = scoreSet([...holdout, ...recorded], tuning);
console.log(
  `${'untuned'.padEnd(9)} precision ${result.precision.toFixed(2)}  recall ${result.recall.toFixed(2)}  median lead ${result.medianLeadMinutes.toFixed(1)} min  (held-out + recorded)`,
);
console.log(`backtest: precision ${result.precision.toFixed(2)} recall ${result.recall.toFixed(2)} lead ${Math.round(result.medianLeadMinutes)}m`);
