import { Resolver } from 'node:dns/promises';
import type { DnsModule } from '@/lib/healing/monitor-kinds-schema';
import { elapsedMs, failed, type ProbeResult } from './probe-result';

// c-ares' error codes, named as the DNS answer codes an operator knows.
const RCODES: Record<string, string> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  EFORMERR: 'FORMERR',
  ENOTIMP: 'NOTIMP',
};

/** Each answer as one string: the address, the MX exchange, the TXT text, the SOA primary. */
function answersAsText(records: unknown[]): string[] {
  return records.map((record) => {
    if (typeof record === 'string') return record;
    if (Array.isArray(record)) return record.join('');
    const r = record as Record<string, unknown>;
    return String(r.exchange ?? r.name ?? r.nsname ?? r.value ?? r.address ?? JSON.stringify(r));
  });
}

/** One lookup of one record type, asked of the module's resolver only. */
export async function probeDns(module: DnsModule): Promise<ProbeResult> {
  const resolver = new Resolver({ timeout: Math.max(100, Math.round(module.timeoutSeconds * 1000)), tries: 1 });
  resolver.setServers([module.resolver]);
  const started = performance.now();
  let answers: string[];
  try {
    const records: unknown = await resolver.resolve(module.host, module.recordType);
    answers = answersAsText(Array.isArray(records) ? records : [records]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    const rcode = RCODES[code];
    if (code === 'ETIMEOUT') return failed('timeout', `${module.resolver} did not answer within ${module.timeoutSeconds} s`, null, { code });
    if (code === 'ECONNREFUSED') return failed('connection_refused', `${module.resolver} refused the query`, null, { code });
    const message = rcode === 'NOERROR' ? `no ${module.recordType} record for ${module.host}` : `${module.host} ${module.recordType}: ${rcode ?? code}`;
    return { ...failed('probe_failed', message, elapsedMs(started), { code, rcode: rcode ?? null }), facts: { dnsRcode: rcode ?? code } };
  }
  const latencyMs = elapsedMs(started);
  const facts = { dnsRcode: 'NOERROR', responseTimeMs: latencyMs, body: JSON.stringify(answers), ip: answers[0] };
  const missing = module.expect.filter((want) => !answers.some((answer) => answer.toLowerCase() === want.toLowerCase()));
  if (missing.length > 0)
    return { ...failed('assertion_failed', `${module.recordType} ${module.host} is ${answers.join(', ')}; expected ${missing.join(', ')}`, latencyMs), facts };
  return { ok: true, latencyMs, message: `${module.recordType} ${answers.slice(0, 3).join(', ')}${answers.length > 3 ? ' …' : ''}`, facts };
}
