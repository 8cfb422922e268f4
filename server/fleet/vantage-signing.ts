import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import { signedBy, signWith } from './fleet-signing';

/** Statements of their own purpose, so neither can pass for a command or for each other. */
const assignmentBytes = (assignment: unknown) => Buffer.from(`vigil-fleet-vantage-assign\n${canonicalJson(assignment)}`);
const resultBytes = (result: unknown) => Buffer.from(`vigil-fleet-vantage-result\n${canonicalJson(result)}`);

export const signAssignment = (consoleKey: KeyObject, assignment: unknown) => signWith(consoleKey, assignmentBytes(assignment));
export const assignmentSignedBy = (consoleKey: KeyObject | string, assignment: unknown, signature: string) =>
  signedBy(consoleKey, assignmentBytes(assignment), signature);

export const signVantageResult = (agentKey: KeyObject, result: unknown) => signWith(agentKey, resultBytes(result));
export const vantageResultSignedBy = (agentKey: KeyObject | string, result: unknown, signature: string) => signedBy(agentKey, resultBytes(result), signature);
