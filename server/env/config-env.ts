import path from 'node:path';
import { z } from 'zod';

/** The config-as-code file: read by the worker (and reloaded on change) and by the CLI. */
export const configEnvShape = {
  VIGIL_CONFIG: z.string().min(1).default('./vigil.config.yaml'),
};

export const resolveConfigPath = (raw: { VIGIL_CONFIG: string }): string => path.resolve(raw.VIGIL_CONFIG);
