// A second audit writer in its own process, for tests of cross-process appends:
//   node --import tsx server/test-support/append-process.ts '<json options>'
// Prints "ready" once started, then one JSON line of receipts when done: after `waves` waves, or
// after the wave in progress when it receives SIGUSR2 (so a test can keep it appending for as long
// as it needs the two processes to overlap).
import { AuditWriter, type AppendReceipt } from '../audit';
import { openDatabase } from '../db/client';
import { silentLogger } from './log';

interface Options {
  url: string;
  spoolFile: string;
  actor: string;
  waves: number;
  perWave: number;
  maxBatch?: number;
  busyTimeoutMs?: number;
}

async function run(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const database = await openDatabase({ url: options.url, busyTimeoutMs: options.busyTimeoutMs });
  const writer = new AuditWriter({ database, spoolFile: options.spoolFile, log: silentLogger(), maxBatch: options.maxBatch, retryBaseMs: 20, retryMaxMs: 200 });
  let stopRequested = false;
  process.on('SIGUSR2', () => {
    stopRequested = true;
  });
  await writer.start();
  process.stdout.write('ready\n');
  const receipts: AppendReceipt[] = [];
  for (let wave = 0; wave < options.waves && !stopRequested; wave++) {
    const batch = Array.from({ length: options.perWave }, (_, i) =>
      writer.append({ type: 'test.append', severity: 'info', actor: options.actor, action: 'append', details: { i: wave * options.perWave + i } }),
    );
    receipts.push(...(await Promise.all(batch)));
    // Give the other process a chance at the lock between waves.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await writer.close();
  while (writer.status().pendingEvents > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writer.flush();
  }
  await database.close();
  process.stdout.write(`${JSON.stringify(receipts)}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
