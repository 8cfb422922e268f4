import { editableSectionSchema, type EditableSection } from '@/lib/settings/editable-sections';
import { settingsContracts } from '../../contracts';
import type { Notifier } from '../../notify';
import { SettingsError, type ConsoleSettings } from '../../settings';
import type { Router } from '../router';

function sectionOf(params: Record<string, string>): EditableSection {
  const section = editableSectionSchema.safeParse(params.section);
  if (!section.success) throw new SettingsError('not_found', `no editable config section ${JSON.stringify(params.section)}`);
  return section.data;
}

/** The console's config sections and the channel test behind the settings page. */
export function registerSettingsRoutes(router: Router, { settings, notifier }: { settings: ConsoleSettings; notifier: Pick<Notifier, 'test'> }): void {
  const c = settingsContracts;
  router.add({ ...c.list, handler: () => ({ sections: settings.views() }) });
  router.add({ ...c.save, handler: ({ params, body }) => settings.save(sectionOf(params), body.value, body.actor) });
  router.add({ ...c.revert, handler: ({ params, body }) => settings.revert(sectionOf(params), body.actor) });
  router.add({
    ...c.testChannel,
    handler: async ({ params, body }) => {
      const result = await notifier.test({ channel: params.name, actor: body.actor });
      if (result.code === 'not_found') throw new SettingsError('not_found', result.error ?? 'no such channel');
      return result;
    },
  });
}
