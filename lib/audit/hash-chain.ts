import { hash } from 'node:crypto';
import { canonicalJson, type JsonObject } from '../canonical-json';
import { LOCAL_HOST_ID, type ChainedAuditEvent } from './types';

/** prevHash of the first event: 64 zeros, the conventional genesis anchor. */
export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedAuditEvent = Omit<ChainedAuditEvent, 'hash'>;

/** An event as read back from storage: `details` still the JSON text it was stored as. */
export type StoredAuditEvent = Omit<ChainedAuditEvent, 'details'> & { details: string };

/**
 * The canonical JSON of an event. Equal, byte for byte, to canonicalJson() of the
 * same fields (a test holds them together), but spelled out for the fixed envelope
 * in sorted key order, so only `details` goes through the generic key sort: this
 * runs for every append and every verified event.
 */
export function canonicalAuditEvent(event: UnhashedAuditEvent): string {
  return canonicalEnvelope(event, canonicalJson(event.details));
}

/**
 * `hostId` enters only when it is not 1 (the console's own worker): every chain written
 * before the fleet existed is all host 1 and hashes exactly as it did, while an event an
 * agent reported cannot be moved to another host without breaking the chain.
 */
function hostIdField(hostId: number | undefined): string {
  if (hostId === undefined || hostId === LOCAL_HOST_ID) return '';
  if (!Number.isSafeInteger(hostId)) throw new TypeError(`hostId must be an integer, got ${hostId}`);
  return `"hostId":${hostId},`;
}

/** What JSON.stringify would escape in a string (any surrogate, to stay on the safe side). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as JSON.stringify writes it. Most fields (ids, times, hashes, names) need no
 * escaping, and quoting them directly costs a fraction of the native call made per field.
 */
function quoted(value: string | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string' || NEEDS_ESCAPING.test(value)) return JSON.stringify(value);
  return `"${value}"`;
}

function canonicalEnvelope(event: Omit<UnhashedAuditEvent, 'details'>, detailsJson: string): string {
  const { seq, eventId, at, type, severity, actor, action, module, resource, reason, method, source, prevHash } = event;
  if (!Number.isSafeInteger(seq)) throw new TypeError(`seq must be an integer, got ${seq}`);
  const q = quoted;
  return (
    `{"action":${q(action)},"actor":${q(actor)},"at":${q(at)},"details":${detailsJson},"eventId":${q(eventId)},${hostIdField(event.hostId)}` +
    `"method":${q(method)},"module":${q(module)},"prevHash":${q(prevHash)},"reason":${q(reason)},"resource":${q(resource)},` +
    `"seq":${seq},"severity":${q(severity)},"source":${q(source)},"type":${q(type)}}`
  );
}

/** SHA-256 over the canonical JSON of every field of the event, prevHash included. */
export function hashAuditEvent(event: UnhashedAuditEvent): string {
  // The one-shot hash is twice as fast as createHash() for inputs this small.
  return hash('sha256', canonicalAuditEvent(event), 'hex');
}

/**
 * Whether a stored event's hash covers its contents. Vigil stores `details` in canonical
 * form, so the stored text is hashed as it is first, which skips parsing and re-sorting it.
 * That shortcut accepts nothing the full check would refuse: every other field enters the
 * envelope as a JSON string literal, null or an integer, so the envelope splits one way
 * only, and an equal hash means the stored text is byte for byte the canonical text that
 * was hashed. Text that is not canonical (an older row, or an edit) is judged by the value
 * it parses to, as always; text that does not parse cannot be what was hashed.
 */
export function storedEventHashMatches(event: StoredAuditEvent): boolean {
  if (hash('sha256', canonicalEnvelope(event, event.details), 'hex') === event.hash) return true;
  let details: JsonObject;
  try {
    details = JSON.parse(event.details) as JsonObject;
  } catch {
    return false;
  }
  return hashAuditEvent({ ...event, details }) === event.hash;
}

export type ChainBreak = 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap';

export type ChainVerdict =
  | { ok: true; verified: number; headSeq: number; headHash: string }
  | { ok: false; verified: number; firstBadSeq: number; problem: ChainBreak; headSeq: number; headHash: string };

/**
 * Verifies a chain incrementally, so callers can stream millions of rows page by
 * page. Starts from a trusted anchor: the genesis, or a checkpoint's (seq, hash).
 */
export class ChainVerifier {
  private expectedSeq: number;
  private expectedPrevHash: string;
  private verified = 0;
  private failure: { firstBadSeq: number; problem: ChainBreak } | null = null;

  constructor(anchor: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
    this.expectedSeq = anchor.seq + 1;
    this.expectedPrevHash = anchor.hash;
  }

  /** Returns false once the chain is broken; later events are ignored. */
  push(event: ChainedAuditEvent | StoredAuditEvent): boolean {
    if (this.failure) return false;
    const problem = this.check(event);
    if (problem) {
      this.failure = { firstBadSeq: Math.min(event.seq, this.expectedSeq), problem };
      return false;
    }
    this.verified += 1;
    this.expectedSeq = event.seq + 1;
    this.expectedPrevHash = event.hash;
    return true;
  }

  private check(event: ChainedAuditEvent | StoredAuditEvent): ChainBreak | null {
    if (event.seq !== this.expectedSeq) return 'seq-gap';
    if (event.prevHash !== this.expectedPrevHash) return 'prev-hash-mismatch';
    const intact =
      typeof event.details === 'string' ? storedEventHashMatches(event as StoredAuditEvent) : hashAuditEvent(event as ChainedAuditEvent) === event.hash;
    if (!intact) return 'hash-mismatch';
    return null;
  }

  verdict(): ChainVerdict {
    const head = { headSeq: this.expectedSeq - 1, headHash: this.expectedPrevHash };
    if (this.failure) return { ok: false, verified: this.verified, ...this.failure, ...head };
    return { ok: true, verified: this.verified, ...head };
  }
}

export function verifyChain(events: Iterable<ChainedAuditEvent>, anchor?: { seq: number; hash: string }): ChainVerdict {
  const verifier = new ChainVerifier(anchor);
  for (const event of events) {
    if (!verifier.push(event)) break;
  }
  return verifier.verdict();
}

/** Links a batch of events onto a head; pure, so the writer and the tests share it. */
export function linkEvents(head: { seq: number; hash: string }, events: Array<Omit<UnhashedAuditEvent, 'seq' | 'prevHash'>>): ChainedAuditEvent[] {
  return linkEventsWithText(head, events).events;
}

/**
 * linkEvents, also answering each event's details in the canonical text that was hashed: the
 * text the store keeps, so an append serialises the details once rather than twice.
 */
export function linkEventsWithText(
  head: { seq: number; hash: string },
  events: Array<Omit<UnhashedAuditEvent, 'seq' | 'prevHash'>>,
): { events: ChainedAuditEvent[]; detailsText: string[] } {
  let { seq, hash: prevHash } = head;
  const detailsText = new Array<string>(events.length);
  const linked = events.map((event, i) => {
    seq += 1;
    const chained = chainedEvent(event, seq, prevHash);
    const text = canonicalJson(chained.details);
    detailsText[i] = text;
    prevHash = hash('sha256', canonicalEnvelope(chained, text), 'hex');
    chained.hash = prevHash;
    return chained;
  });
  return { events: linked, detailsText };
}

/**
 * The linked form of a pending event, written out field by field: spreading the pending
 * event cost some 4 µs an event, a hundred times this literal.
 */
function chainedEvent(event: Omit<UnhashedAuditEvent, 'seq' | 'prevHash'>, seq: number, prevHash: string): ChainedAuditEvent {
  const chained: ChainedAuditEvent = {
    eventId: event.eventId,
    at: event.at,
    type: event.type,
    severity: event.severity,
    actor: event.actor,
    action: event.action,
    module: event.module,
    resource: event.resource,
    reason: event.reason,
    method: event.method,
    source: event.source,
    details: event.details,
    seq,
    prevHash,
    hash: '',
  };
  if (event.hostId !== undefined) chained.hostId = event.hostId;
  return chained;
}
