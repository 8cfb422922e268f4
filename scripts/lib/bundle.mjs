// The worker, the CLI and the start-up bootstrap compiled into plain JavaScript (dist/), so
// they start without compiling TypeScript at run time. Built at `npm install` and again by
// `npm start` or `vigil` whenever a source changed since, so a change never runs stale.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint } from './build-fingerprint.mjs';

/** Output name → source; each becomes dist/<name>.mjs. */
const ENTRY_POINTS = {
  worker: 'server/main.ts',
  vigil: 'server/cli/bin.ts',
  bootstrap: 'scripts/bootstrap.ts',
  // Loaded by the audit verifier with `new URL('./verify-range-thread.mjs', import.meta.url)`,
  // which from dist/ finds this file next to the chunk that asks for it.
  'verify-range-thread': 'server/audit/verify-range-thread.mjs',
  // Loaded the same way by the snapshot store's blob threads (server/recovery/blob-threads.ts).
  'blob-thread': 'server/recovery/blob-thread.mjs',
  // The dedicated guard process, forked by server/defense/guard-process/guard-supervisor.ts from the same folder.
  'guard-process': 'server/defense/guard-process/guard-main.ts',
};

/**
 * Pure-JavaScript dependencies compiled into the bundle. Loaded from node_modules, zod is 95
 * ES modules and yaml 72 CommonJS files, each resolved, read and compiled at every start;
 * inside a chunk they cost a third of that (measured in BENCHMARKS.md). Everything else
 * (native modules, the generated Prisma clients, pg …) loads from node_modules as it is.
 */
const COMPILED_IN = ['zod', 'yaml'];

/** The package a bare import names (`zod/v4/core` → `zod`, `@prisma/client/x` → `@prisma/client`). */
const packageOf = (specifier) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');

/** Bare imports stay imports, except the packages compiled in; `@/…` is this repository (tsconfig paths). */
function externalPackagesPlugin() {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
        if (path.startsWith('@/') || path.startsWith('node:') || COMPILED_IN.includes(packageOf(path))) return undefined;
        return { path, external: true };
      });
    },
  };
}

/**
 * zod re-exports every one of its ~40 message locales (`z.locales`), half of what it compiles into
 * the bundle, parsed at every start of the CLI. Vigil speaks English, which zod imports on its
 * own as its default, so the re-export is narrowed to that one.
 */
function englishOnlyZodPlugin() {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]/.test(importer)) return undefined;
        return { path: join(importer, '..', '..', 'locales', 'index.js'), namespace: 'zod-locales' };
      });
      build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, ({ path }) => ({
        contents: "export { default as en } from './en.js';",
        loader: 'js',
        resolveDir: join(path, '..'),
      }));
    },
  };
}

/** Everything the bundle is made from: a change to any of these rebuilds it. */
const BUNDLE_INPUTS = ['server', 'lib', 'scripts/bootstrap.ts', 'scripts/lib/bundle.mjs', 'tsconfig.json', 'package-lock.json'];
const FINGERPRINT_FILE = 'fingerprint';

export const bundleDir = (root) => join(root, 'dist');
export const bundleEntry = (root, name) => join(bundleDir(root), `${name}.mjs`);

export function isBundleFresh(root) {
  const marker = join(bundleDir(root), FINGERPRINT_FILE);
  return existsSync(marker) && readFileSync(marker, 'utf8') === buildFingerprint(root, BUNDLE_INPUTS);
}

/**
 * Outside dist/ the verification thread loads its TypeScript checker through tsx; inside the
 * bundle the checker is compiled in, so the one dynamic TypeScript import becomes a plain one.
 */
function bundleThreadPlugin() {
  return {
    name: 'verify-range-thread',
    setup(build) {
      build.onLoad({ filter: /verify-range-thread\.mjs$/ }, ({ path }) => {
        const source = readFileSync(path, 'utf8');
        const tsxImport = /^import \{ tsImport \} from 'tsx\/esm\/api';$/m;
        const tsImport = /await tsImport\('(\.\/[\w-]+)\.ts', import\.meta\.url\)/;
        if (!tsxImport.test(source) || !tsImport.test(source)) throw new Error(`${path}: expected one tsImport('./….ts', import.meta.url) to compile in`);
        const contents = source.replace(tsxImport, '').replace(tsImport, "await import('$1.ts')");
        return { contents, loader: 'js', resolveDir: join(path, '..') };
      });
    },
  };
}

/** Compiles into a fresh folder and swaps it in whole, so nothing ever runs a half-written bundle. */
export async function buildBundle(root) {
  const fingerprint = buildFingerprint(root, BUNDLE_INPUTS);
  const { build } = await import('esbuild');
  const staging = join(root, `.dist-build-${process.pid}`);
  const retired = join(root, `.dist-old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: root,
      entryPoints: ENTRY_POINTS,
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // Each CLI command group is its own chunk, so `vigil snapshot list` loads only what it runs.
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      tsconfig: join(root, 'tsconfig.json'),
      keepNames: true,
      sourcemap: 'linked',
      logLevel: 'silent',
      // yaml is CommonJS and requires node's builtins; an ES module has no `require` of its own.
      banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
      plugins: [externalPackagesPlugin(), bundleThreadPlugin(), englishOnlyZodPlugin()],
    });
    writeFileSync(join(staging, FINGERPRINT_FILE), fingerprint);
    rmSync(retired, { recursive: true, force: true });
    try {
      if (existsSync(bundleDir(root))) renameSync(bundleDir(root), retired);
      renameSync(staging, bundleDir(root));
    } catch (error) {
      // Two builds at once (`vigil` while `npm start` compiles): the other one's result is as good.
      if (!isBundleFresh(root)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
}

/** Builds the bundle unless it is up to date; true when it was (re)built. */
export async function ensureBundle(root) {
  if (isBundleFresh(root)) return false;
  await buildBundle(root);
  return true;
}
