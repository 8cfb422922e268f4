import { loadWorkerEnv } from '../env/worker-env';
import { UsageError, type CliCommand } from './command-table';

/**
 * `vigil agent`: the worker, everything it runs on this host, plus the connection out to the
 * console named by VIGIL_CONSOLE_URL. Runs in the foreground until a signal stops it.
 */
export const agentCommands: CliCommand[] = [
  {
    path: ['agent'],
    usage: 'VIGIL_CONSOLE_URL=<console worker URL> VIGIL_ENROLLMENT_TOKEN=<token> vigil agent',
    summary: 'Run this host as an agent of a fleet console (enrolls on first start)',
    async run(argv, io) {
      if (argv.length > 0) throw new UsageError(`unexpected argument ${argv[0]}`);
      // Checked here so a missing or bad variable is a usage error before the worker starts.
      if (!loadWorkerEnv(io.env).fleet) throw new UsageError('VIGIL_CONSOLE_URL is required: the address of the console worker to report to');
      // The worker's own entry point: it reads the environment, starts, and exits on SIGTERM.
      await import('../main');
      return new Promise<number>(() => undefined);
    },
  },
];
