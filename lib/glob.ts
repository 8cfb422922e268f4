/**
 * Gitignore-flavoured globs for include/exclude lists: `*` and `?` stay inside one path
 * segment, `**` crosses segments, a pattern without a slash matches a name at any depth.
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.includes('/') && !pattern.startsWith('**/');
  const body = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '*' && body[i + 1] === '*') {
      const slashAfter = body[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${source}(?:/.*)?$`);
}

export interface PathFilter {
  /** True when `relativePath` (slash-separated, no leading slash) is excluded. */
  excludes(relativePath: string): boolean;
}

export function pathFilter(patterns: readonly string[]): PathFilter {
  const compiled = patterns.map(globToRegExp);
  return { excludes: (relativePath) => compiled.some((re) => re.test(relativePath)) };
}
