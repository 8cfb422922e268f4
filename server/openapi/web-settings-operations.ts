import { saveSectionRequestSchema } from '@/lib/settings/editable-sections';
import { type OperationSpec, webOperation } from './operation-spec';

const web = webOperation;

/** The console's settings: config sections set in the browser in place of the file's, and the channel test. */
export const SETTINGS_WEB_OPERATIONS: OperationSpec[] = [
  web({
    method: 'get',
    path: '/api/settings',
    tag: 'Settings',
    summary: 'Editable config sections, secrets masked, and where each comes from',
    role: 'viewer',
  }),
  web({
    method: 'put',
    path: '/api/settings/{section}',
    tag: 'Settings',
    summary: "Set a config section in the console, in place of the file's",
    role: 'admin',
    body: ['SettingsSectionRequest', saveSectionRequestSchema],
  }),
  web({ method: 'delete', path: '/api/settings/{section}', tag: 'Settings', summary: 'Revert a config section to the config file', role: 'admin' }),
  web({
    method: 'post',
    path: '/api/settings/channels/{name}/test',
    tag: 'Settings',
    summary: 'Send a test notification through a channel in force',
    role: 'operator',
  }),
];
