'use client';

import type { EditableSection, SectionView } from '@/lib/settings/editable-sections';
import { SectionPage } from '../shell/section-page';
import { FormError } from '../ui/field';
import { DrillsEditor, ForecastEditor } from './automation-editors';
import { ChannelsEditor } from './channels-editor';
import { DefenseEditor } from './defense-editor';
import { EscalationEditor } from './escalation-editor';
import { IntegrityEditor } from './integrity-editor';
import { LogsEditor } from './logs-editor';
import { useSettingsQuery } from './settings-queries';
import { SnapshotsEditor } from './snapshots-editor';

/**
 * Sections of vigil.config.yaml set in the browser. A section saved here replaces the file's
 * whole section until "Revert to file"; the rest of the file applies as written.
 */
export function SettingsSection({ canAdminister, canOperate }: { canAdminister: boolean; canOperate: boolean }) {
  const settings = useSettingsQuery();
  const view = (section: EditableSection): SectionView | undefined => settings.data?.sections.find((s) => s.section === section);
  const notifications = view('notifications');
  const snapshots = view('snapshots');
  const integrity = view('integrity');
  const logs = view('logs');
  const escalation = view('escalation');
  const defense = view('defense');
  const drills = view('drills');
  const forecast = view('forecast');
  return (
    <SectionPage
      title="Settings"
      summary="Sections set here replace the config file's section of the same name until reverted; the file's other sections still apply."
      testId="section-settings"
    >
      <FormError message={settings.error?.message ?? null} />
      {settings.isPending ? <p className="text-sm text-muted">Loading settings…</p> : null}
      {notifications ? <ChannelsEditor view={notifications} canAdminister={canAdminister} canOperate={canOperate} /> : null}
      {snapshots ? <SnapshotsEditor view={snapshots} canAdminister={canAdminister} /> : null}
      {integrity ? <IntegrityEditor view={integrity} canAdminister={canAdminister} /> : null}
      {logs ? <LogsEditor view={logs} canAdminister={canAdminister} /> : null}
      {escalation ? <EscalationEditor view={escalation} canAdminister={canAdminister} /> : null}
      {defense ? <DefenseEditor view={defense} canAdminister={canAdminister} /> : null}
      {drills ? <DrillsEditor view={drills} canAdminister={canAdminister} /> : null}
      {forecast ? <ForecastEditor view={forecast} canAdminister={canAdminister} /> : null}
    </SectionPage>
  );
}
