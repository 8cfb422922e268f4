import { z } from 'zod';
import type { VigilConfig } from '../config/config-schema';
import { integrityConfigSchema } from '../config/integrity-config';
import { logsConfigSchema } from '../config/logs-config';
import { notificationsConfigSchema } from '../config/notifications-config';
import { snapshotsConfigSchema } from '../config/snapshots-config';
import { blocklistsSchema } from '../defense/blocklist-config';
import { elevatedConfigSchema, isolationConfigSchema } from '../defense/defense-mode-config';
import { scenarioSchema } from '../defense/scenario-schema';
import { drillsConfigSchema } from '../drills/drill-schema';
import { forecastConfigSchema } from '../forecast/forecast-config';
import { escalationPolicySchema } from '../healing/escalation';

/**
 * The sections of `vigil.config.yaml` an admin may also set in the console. A section set in
 * the console replaces the file's section whole (never field by field), so what is in force is
 * always one of the two as written; "revert to file" removes the console's version.
 */
export const EDITABLE_SECTIONS = ['notifications', 'snapshots', 'integrity', 'logs', 'escalation', 'defense', 'drills', 'forecast'] as const;
export const editableSectionSchema = z.enum(EDITABLE_SECTIONS);
export type EditableSection = (typeof EDITABLE_SECTIONS)[number];
export type EditableSectionValues = Partial<{ [S in EditableSection]: VigilConfig[S] }>;

export type SectionSchemas = Record<EditableSection, z.ZodType>;

/**
 * The file's own schemas, as far as the browser can load them: all but the defense section's
 * address rules (node:net), of which the page edits none; there the scenarios, isolation, elevated
 * mode and blocklists are checked and the rest passes. The worker checks every section with the
 * file's whole schema (`configSections`), and what a blocklist holds when it is saved.
 */
export const BROWSER_SECTION_SCHEMAS: SectionSchemas = {
  notifications: notificationsConfigSchema,
  snapshots: snapshotsConfigSchema,
  integrity: integrityConfigSchema,
  logs: logsConfigSchema,
  escalation: escalationPolicySchema,
  defense: z.looseObject({
    scenarios: z.array(scenarioSchema),
    isolation: isolationConfigSchema,
    elevated: elevatedConfigSchema,
    blocklists: blocklistsSchema,
  }),
  drills: drillsConfigSchema,
  forecast: forecastConfigSchema,
};

export interface SectionProblem {
  /** Dotted, from the section down: `notifications.channels.0.url`. */
  field: string;
  message: string;
}

export function validateSection(
  section: EditableSection,
  value: unknown,
  schemas: SectionSchemas = BROWSER_SECTION_SCHEMAS,
): { ok: true; value: EditableSectionValues[EditableSection] } | { ok: false; problems: SectionProblem[] } {
  const result = schemas[section].safeParse(value);
  if (result.success) return { ok: true, value: result.data as EditableSectionValues[EditableSection] };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ field: [section, ...issue.path.map(String)].join('.'), message: issue.message })),
  };
}

export const SECTION_ORIGINS = ['file', 'console'] as const;
export type SectionOrigin = (typeof SECTION_ORIGINS)[number];

/** One section as the console shows it: secrets masked (lib/settings/secret-mask.ts). */
export interface SectionView {
  section: EditableSection;
  origin: SectionOrigin;
  /** What is in force. */
  value: unknown;
  /** The file's section, for "revert to file"; the defaults when the file has none. */
  fileValue: unknown;
  updatedBy: string | null;
  updatedAt: string | null;
}

export const sectionViewSchema = z.object({
  section: editableSectionSchema,
  origin: z.enum(SECTION_ORIGINS),
  value: z.unknown(),
  fileValue: z.unknown(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export const saveSectionRequestSchema = z.object({ value: z.unknown().refine((value) => value !== undefined, 'required') });
