// The CLI's entry point in the compiled bundle (dist/vigil.mjs); main.ts stays importable by tests.
import { runCliFromProcess } from './main';

void runCliFromProcess();
