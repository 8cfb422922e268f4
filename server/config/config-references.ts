import { unknownChannels } from '@/lib/alerts/alert-rules';
import type { VigilConfig } from '@/lib/config/config-schema';
import type { ConfigProblem } from '@/lib/config/config-status';

/**
 * What one section names in another, checked once both validated on their own. An alert rule
 * routed to a channel the file does not have would page no one and say nothing: a typo in a
 * channel name is a refused file, like a typo in a field.
 */
export function crossReferenceProblems(config: VigilConfig, lineAt: (at: readonly PropertyKey[]) => { line?: number }): ConfigProblem[] {
  const channels = config.notifications.channels.map((channel) => channel.name);
  return config.alerts.rules.flatMap((rule, ruleIndex) =>
    unknownChannels(rule, channels).map(({ index, message }) => ({
      field: `alerts.rules.${ruleIndex}.channels.${index}`,
      ...lineAt(['alerts', 'rules', ruleIndex, 'channels', index]),
      message,
    })),
  );
}
