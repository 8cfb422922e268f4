import type { VigilConfig } from '@/lib/config/config-schema';
import type { ConfigProblem } from '@/lib/config/config-status';

/**
 * What one section names in another, checked once both validated on their own. An alert rule
 * routed to a channel the file does not have would page no one and say nothing: a typo in a
 * channel name is a refused file, like a typo in a field.
 */
export function crossReferenceProblems(config: VigilConfig, lineAt: (at: readonly PropertyKey[]) => { line?: number }): ConfigProblem[] {
  const channels = config.notifications.channels.map((channel) => channel.name);
  const known = channels.length > 0 ? `configured: ${channels.join(', ')}` : 'no notification channels are configured';
  return config.alerts.rules.flatMap((rule, index) =>
    rule.channels.flatMap((name, position) =>
      name === '*' || channels.includes(name)
        ? []
        : [
            {
              field: `alerts.rules.${index}.channels.${position}`,
              ...lineAt(['alerts', 'rules', index, 'channels', position]),
              message: `no notification channel named "${name}"; ${known}`,
            },
          ],
    ),
  );
}
