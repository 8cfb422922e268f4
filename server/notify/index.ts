/**
 * Notifications: what the healing engine and the console may call. The engine decides *when*
 * (lib/healing/escalation.ts `notificationsDue`, lib/healing/maintenance.ts `inMaintenance`);
 * the Notifier decides *where* and delivers.
 */
export { Notifier, channelTakes, type NotifierOptions, type TestResult, type ChannelSummary } from './notifier';
export { signBody } from './senders';
export { DeliveryError } from './delivery-error';
export { sendAlert } from './channels/send-alert';
export { scrubSecrets as scrubChannelSecrets } from './notification-events';
