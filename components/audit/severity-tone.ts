import type { Severity } from '@/lib/audit/types';
import type { Tone } from '../ui/badge';

export const SEVERITY_TONE: Record<Severity, Tone> = { debug: 'neutral', info: 'neutral', notice: 'accent', warning: 'warn', high: 'orange', critical: 'crit' };
