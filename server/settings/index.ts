export { ConsoleSettings } from './console-settings';
export { SettingsError } from './settings-error';
export { SettingsSeal } from './settings-seal';
