/** `?host=<id>`: which host a page shows; absent means all hosts (the console's own pages show host 1's details). */
export const HOST_SCOPE_PARAM = 'host';

/** A host id from the URL, or null for "all hosts" (anything that is not a positive whole number included). */
export function parseHostScope(value: string | null | undefined): number | null {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

/** `href` with the host scope carried along, so moving between sections keeps looking at the same host. */
export function withHostScope(href: string, hostId: number | null): string {
  if (hostId === null) return href;
  const [path, query = ''] = href.split('?');
  const params = new URLSearchParams(query);
  params.set(HOST_SCOPE_PARAM, String(hostId));
  return `${path}?${params.toString()}`;
}
