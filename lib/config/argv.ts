import { z } from 'zod';

/** argv arrays only: a shell string would make every argument an injection point. */
export const argvSchema = z.array(z.string().min(1)).min(1, 'must name a program').max(64);
