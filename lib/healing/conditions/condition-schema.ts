import { z } from 'zod';
import { conditionProblem } from './condition-parser';

/** One Gatus-style condition, checked by the grammar where it is declared (config file, console, `vigil config check`). */
export const conditionSchema = z
  .string()
  .min(1)
  .max(500)
  .superRefine((text, context) => {
    const problem = conditionProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
