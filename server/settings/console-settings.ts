import type { AuditEventInput } from '@/lib/audit/types';
import { configSections } from '@/lib/config/config-schema';
import {
  EDITABLE_SECTIONS,
  editableSectionSchema,
  validateSection,
  type EditableSection,
  type EditableSectionValues,
  type SectionProblem,
  type SectionView,
} from '@/lib/settings/editable-sections';
import { maskSecrets, restoreSecrets } from '@/lib/settings/secret-mask';
import { diffSection } from '@/lib/settings/section-diff';
import type { ConfigWatcher } from '../config/config-file';
import type { Logger } from '../log';
import type { Store } from '../db/store';
import { deleteConsoleSetting, readConsoleSettings, writeConsoleSetting } from '../queries/console-settings';
import { consoleOnlyProblems } from './console-rules';
import { SettingsError } from './settings-error';
import type { SettingsSeal } from './settings-seal';

/** What a capability checks beyond the schema before a section is saved (a blocklist is read). */
export type SaveCheck = (value: unknown) => Promise<SectionProblem[]>;

interface StoredSection {
  value: unknown;
  updatedBy: string;
  updatedAt: string;
}

export interface ConsoleSettingsDeps {
  /** The worker's database: its driver answers the start-up read on SQLite, Prisma the operator's changes. */
  store: Store;
  config: Pick<ConfigWatcher, 'loaded' | 'fromFile' | 'setConsoleSections'>;
  seal: SettingsSeal;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  /** For the console's own rules: sources inside the data directory, paths relative to the file. */
  paths: { dataDir: string; configDir: string };
  /** Tells the other workers (HA on PostgreSQL) that a section changed, once it is stored. */
  announce?: (section: EditableSection) => void;
}

/**
 * Config sections an admin set in the console. They are stored sealed in the database, validated
 * by the file's own schema on every way in (a save, and each load), and put in force through the
 * configuration's reload path, so every capability reconfigures as it does for a saved file.
 */
export class ConsoleSettings {
  private stored = new Map<EditableSection, StoredSection>();
  private readonly checks = new Map<EditableSection, SaveCheck>();

  constructor(private readonly deps: ConsoleSettingsDeps) {}

  /** Reads the stored sections and puts them in force; one that no longer opens or validates is left out and reported. */
  async load(): Promise<void> {
    this.stored = await this.readStored((section, problem) => this.reportRefused(section, problem));
    this.apply();
  }

  /**
   * Another worker changed a section: read them all again and put them in force. A refused row
   * was audited by the worker that loaded it first; here it is only logged.
   */
  async reload(): Promise<void> {
    this.stored = await this.readStored(async (section, problem) => this.deps.log.warn({ section, problem }, "the console's section is not applied"));
    this.apply();
  }

  private async readStored(refused: (section: EditableSection, problem: string) => Promise<void>): Promise<Map<EditableSection, StoredSection>> {
    const rows = await readConsoleSettings(this.deps.store);
    const stored = new Map<EditableSection, StoredSection>();
    for (const row of rows) {
      const section = editableSectionSchema.safeParse(row.section);
      if (!section.success) continue;
      const problem = this.openRow(section.data, row.sealed, stored);
      if (problem) await refused(section.data, problem);
    }
    return stored;
  }

  private openRow(section: EditableSection, sealed: string, into: Map<EditableSection, StoredSection>): string | null {
    let opened: StoredSection;
    try {
      opened = this.deps.seal.open(sealed) as StoredSection;
    } catch {
      return 'cannot be opened with this secret (VIGIL_SECRET or secret.key changed?)';
    }
    const valid = validateSection(section, opened.value, configSections);
    if (!valid.ok) return `${valid.problems[0].field}: ${valid.problems[0].message}`;
    into.set(section, { ...opened, value: valid.value });
    return null;
  }

  /** A stored section refused at load keeps the file's section in force, as a refused file keeps the last good one. */
  private async reportRefused(section: EditableSection, problem: string): Promise<void> {
    this.deps.log.error({ section, problem }, "the console's version of this section is not applied; the file's stays in force");
    await this.deps.audit
      .append({
        type: 'config.reload_rejected',
        severity: 'warning',
        actor: 'system',
        action: `refuse the console's ${section} section`,
        module: 'config',
        reason: problem.slice(0, 500),
        method: 'validation',
        details: { section, origin: 'console' },
      })
      .catch((error: unknown) => this.deps.log.error({ err: (error as Error).message }, 'could not audit the refused console section'));
  }

  private apply(): void {
    const sections: EditableSectionValues = {};
    for (const [section, stored] of this.stored) (sections as Record<string, unknown>)[section] = stored.value;
    this.deps.config.setConsoleSections(sections);
  }

  views(): SectionView[] {
    return EDITABLE_SECTIONS.map((section) => this.view(section));
  }

  view(section: EditableSection): SectionView {
    const stored = this.stored.get(section);
    return {
      section,
      origin: stored ? 'console' : 'file',
      value: maskSecrets(section, this.deps.config.loaded.config[section]),
      fileValue: maskSecrets(section, this.deps.config.fromFile.config[section]),
      updatedBy: stored?.updatedBy ?? null,
      updatedAt: stored?.updatedAt ?? null,
    };
  }

  /** Added by the capability that owns the check once it has started; settings start before every capability. */
  checkBeforeSave(section: EditableSection, check: SaveCheck): void {
    this.checks.set(section, check);
  }

  /** Validates, seals, stores and applies; answers 400 naming the field for a value the file would refuse. */
  async save(section: EditableSection, incoming: unknown, actor: string): Promise<SectionView> {
    const before = this.deps.config.loaded.config[section];
    const restored = restoreSecrets(section, incoming, before);
    const valid = restored.problems.length > 0 ? { ok: false as const, problems: restored.problems } : validateSection(section, restored.value, configSections);
    if (!valid.ok) throw refused(valid.problems);
    const consoleOnly = consoleOnlyProblems(section, valid.value, this.deps.paths);
    if (consoleOnly.length > 0) throw new SettingsError('invalid_setting', consoleOnly.join('; '));
    const problems = (await this.checks.get(section)?.(valid.value)) ?? [];
    if (problems.length > 0) throw refused(problems);
    const entry: StoredSection = { value: valid.value, updatedBy: actor, updatedAt: new Date().toISOString() };
    await writeConsoleSetting(this.deps.store, section, this.deps.seal.seal(entry));
    this.stored.set(section, entry);
    this.apply();
    this.deps.announce?.(section);
    await this.audit(section, actor, before, 'set');
    return this.view(section);
  }

  /** Removes the console's version: the file's section is in force again. */
  async revert(section: EditableSection, actor: string): Promise<SectionView> {
    const before = this.deps.config.loaded.config[section];
    if (!(await deleteConsoleSetting(this.deps.store, section)) && !this.stored.has(section))
      throw new SettingsError('not_found', `${section} is not set in the console; the file's section is in force already`);
    this.stored.delete(section);
    this.apply();
    this.deps.announce?.(section);
    await this.audit(section, actor, before, 'revert');
    return this.view(section);
  }

  private async audit(section: EditableSection, actor: string, before: unknown, how: 'set' | 'revert'): Promise<void> {
    const changes = diffSection(section, before, this.deps.config.loaded.config[section]);
    await this.deps.audit.append({
      type: 'config.section_changed',
      severity: 'notice',
      actor,
      action: how === 'set' ? `set the ${section} section in the console` : `revert the ${section} section to the config file`,
      module: 'config',
      resource: `config:${section}`,
      method: 'console',
      details: { section, origin: how === 'set' ? 'console' : 'file', changes },
    });
  }
}

const refused = (problems: SectionProblem[]) => new SettingsError('invalid_setting', problems.map((p) => `${p.field}: ${p.message}`).join('; '));
