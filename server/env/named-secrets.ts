/**
 * Secrets the config file names by environment variable (e.g. `bearerTokenEnv`), so the file,
 * often in version control, never holds them. They are read when used rather than parsed at
 * start: the config names them and is reloaded at run time, so the set of names is not known here.
 */
export function readNamedSecret(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
