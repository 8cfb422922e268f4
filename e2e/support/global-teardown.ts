import { rmSync } from 'node:fs';
import { consoleState, STATE_FILE } from './console';

export default async function globalTeardown(): Promise<void> {
  const state = consoleState();
  try {
    process.kill(state.launcherPid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(state.launcherPid, 0);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      break;
    }
  }
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
