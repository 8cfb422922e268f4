import { conditionFailure } from '@/lib/healing/conditions/condition-evaluate';
import { parseCondition, type Condition } from '@/lib/healing/conditions/condition-parser';
import { failed, type ProbeResult } from './probes/probe-result';

// Conditions were validated where they were declared; parsing each once keeps 10,000 monitors cheap.
const parsed = new Map<string, Condition>();

function conditionOf(text: string): Condition {
  let condition = parsed.get(text);
  if (!condition) {
    if (parsed.size >= 10_000) parsed.clear();
    condition = parseCondition(text);
    parsed.set(text, condition);
  }
  return condition;
}

/** A probe that answered still fails when one of its module's conditions does not hold. */
export function applyConditions(result: ProbeResult, conditions: readonly string[]): ProbeResult {
  if (!result.ok || conditions.length === 0) return result;
  const facts = result.facts ?? {};
  for (const text of conditions) {
    const failure = conditionFailure(conditionOf(text), facts);
    if (failure) return { ...failed('assertion_failed', failure, result.latencyMs, { condition: text }), facts };
  }
  return result;
}
