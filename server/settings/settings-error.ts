import { codedError } from '@/lib/errors';

/** A console setting refused: a value the file's schema refuses, or a section that is not there to revert. */
export class SettingsError extends codedError('SettingsError', { invalid_setting: 400, not_found: 404 }) {}
