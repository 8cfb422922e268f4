import { existsSync } from 'node:fs';

/**
 * A Debian program that a test runs for real (nginx, Prometheus, Alertmanager …). Tests never
 * install it: `.ci/run` does, and the README lists the packages. A missing program fails the
 * test that needs it, loudly, naming the package to install.
 */
export function requireProgram(input: { paths: string[]; aptPackage: string }): string {
  const found = input.paths.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    `${input.paths.join(' or ')} is missing: install the Debian package ${input.aptPackage} (apt-get install -y ${input.aptPackage}; .ci/run does)`,
  );
}
