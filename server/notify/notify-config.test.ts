import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/config-file';

/** A config file given line by line. */
const parse = (...lines: string[]) => parseConfigText(lines.join('\n'), '/tmp');

describe('the escalation and notifications config sections', () => {
  it('load from the config file with their defaults', () => {
    const { config, problems } = parse(
      'escalation:',
      '  notifyAfterMinutes: 10',
      'notifications:',
      '  channels:',
      '    - { name: ops, kind: webhook, url: "https://hooks.example/vigil", secret: "0123456789abcdef0123" }',
      '    - { name: mail, kind: email, host: smtp.example, from: vigil@example.org, to: [ops@example.org], minLevel: 4 }',
    );
    expect(problems).toEqual([]);
    expect(config.escalation).toMatchObject({
      restartAfterMinutes: 1,
      notifyAfterMinutes: 10,
      criticalAfterMinutes: 15,
      humanAfterMinutes: 30,
      reminderMinutes: 30,
    });
    expect(config.notifications.channels).toHaveLength(2);
    expect(config.notifications.channels[1]).toMatchObject({ kind: 'email', port: 587, security: 'starttls', minLevel: 4, retries: 3, queueSize: 100 });
  });

  it('reports a bad field by its path and keeps the other sections', () => {
    const { config, problems } = parse(
      'escalation: { reminderMinutes: 15 }',
      'notifications:',
      '  channels:',
      '    - { name: ops, kind: webhook, url: "ftp://nope", secret: short }',
      '    - { name: chat, kind: slack, url: "https://hooks.slack.example/services/x" }',
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual(['notifications.channels.0.secret', 'notifications.channels.0.url']);
    expect(config.notifications.channels).toEqual([]);
    expect(config.escalation.reminderMinutes).toBe(15);
  });

  it('refuses webhook headers fetch would refuse at every delivery: CR/LF in a value, a name that is no HTTP token', () => {
    const { problems } = parse(
      'notifications:',
      '  channels:',
      '    - name: ops',
      '      kind: webhook',
      '      url: "https://hooks.example/vigil"',
      '      headers: { "x-team": "ops\\r\\nx-injected: 1", "bad name": "v", "x-ok": "fine" }',
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual(['notifications.channels.0.headers.bad name', 'notifications.channels.0.headers.x-team']);
  });

  it('rejects two channels with one name', () => {
    const { problems } = parse(
      'notifications:',
      '  channels:',
      '    - { name: ops, kind: slack, url: "https://a.example/x" }',
      '    - { name: ops, kind: slack, url: "https://b.example/y" }',
    );
    expect(problems).toEqual([{ field: 'notifications.channels', message: 'channel names must be unique' }]);
  });
});
