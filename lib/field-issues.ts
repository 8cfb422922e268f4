/**
 * Splits a 422 message from the operator API ("url: must be an http(s) URL; port: …", as
 * lib/http-error's describeIssues writes it) into one message per top-level field.
 */
export function fieldIssues(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split('; ')) {
    const colon = part.indexOf(': ');
    if (colon <= 0) continue;
    const field = part.slice(0, colon).split('.')[0];
    out[field] ??= part.slice(colon + 2);
  }
  return out;
}
