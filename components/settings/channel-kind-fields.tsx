'use client';

import type { NotificationsConfig } from '@/lib/config/notifications-config';
import { TEMPLATE_FIELDS } from '@/lib/alerts/message-template';
import { SMTP_SECURITY } from '@/lib/config/notifications-config';
import { listOfText, numberOfText, setIn } from './draft';
import { AlertmanagerAuthFields } from './channel-delivery-fields';
import type { Channel } from './channel-kinds';
import { ListEditor } from './list-editor';
import type { EditorApi } from './section-editor';
import { SettingCheckbox, SettingInput, SettingSelect, SettingTextArea } from './setting-field';

type Api = EditorApi<NotificationsConfig>;
type Set = (key: (string | number)[], value: unknown) => void;
type Problem = (...key: (string | number)[]) => string | undefined;

const REF_KINDS = [
  { value: 'env', label: 'environment variable' },
  { value: 'file', label: 'file' },
];
const SECURITY = SMTP_SECURITY.map((value) => ({ value, label: value }));

/**
 * A credential named, never written: `{ env }` or `{ file }`, read by the worker at each delivery,
 * so the console (and the database) holds where the secret is, not the secret.
 */
function SecretRefField({ label, value, field, set, problem }: { label: string; value: unknown; field: string; set: Set; problem: Problem }) {
  const ref = (value ?? {}) as { env?: string; file?: string };
  const from = ref.file !== undefined ? 'file' : 'env';
  const where = (from === 'file' ? ref.file : ref.env) ?? '';
  return (
    <>
      <SettingSelect label={`${label}: read from`} value={from} options={REF_KINDS} onValue={(next) => set([field], { [next]: '' })} />
      <SettingInput
        label={from === 'file' ? `${label}: file` : `${label}: variable`}
        hint={from === 'file' ? 'an absolute path, read at each delivery' : 'the worker’s environment, read at each delivery'}
        value={where}
        problem={problem(field, from) ?? problem(field)}
        onValue={(text) => set([field], { [from]: text.trim() })}
      />
    </>
  );
}

function ApiUrlField({ channel, set, problem }: { channel: Channel; set: Set; problem: Problem }) {
  return (
    <SettingInput
      label="API URL"
      hint="the service’s own unless a relay or a local server stands in"
      value={typeof channel.apiUrl === 'string' ? channel.apiUrl : ''}
      problem={problem('apiUrl')}
      onValue={(v) => set(['apiUrl'], v.trim())}
    />
  );
}

function EmailFields({ channel, set, problem }: { channel: Channel; set: Set; problem: Problem }) {
  const auth = channel.auth as { user?: string; password?: string } | undefined;
  const text = (key: string) => (typeof channel[key] === 'string' ? (channel[key] as string) : '');
  return (
    <>
      <SettingInput label="SMTP host" value={text('host')} problem={problem('host')} onValue={(v) => set(['host'], v)} />
      <SettingInput label="Port" inputMode="numeric" value={channel.port as number} problem={problem('port')} onValue={(v) => set(['port'], numberOfText(v))} />
      <SettingSelect label="Security" value={text('security') || 'starttls'} options={SECURITY} onValue={(v) => set(['security'], v)} />
      <SettingInput label="From" type="email" value={text('from')} problem={problem('from')} onValue={(v) => set(['from'], v)} />
      <SettingInput
        label="To"
        hint="addresses, separated by commas"
        value={((channel.to as string[]) ?? []).join(', ')}
        problem={problem('to') ?? problem('to', 0)}
        onValue={(v) => set(['to'], listOfText(v))}
      />
      <SettingInput
        label="SMTP user (optional)"
        value={auth?.user ?? ''}
        onValue={(v) => set(['auth'], v ? { user: v, password: auth?.password ?? '' } : undefined)}
      />
      <SettingInput
        label="SMTP password"
        type="password"
        autoComplete="new-password"
        hint="stored sealed; shown masked"
        value={auth?.password ?? ''}
        problem={problem('auth', 'password')}
        onValue={(v) => set(['auth'], { user: auth?.user ?? '', password: v })}
      />
      <SettingCheckbox
        label="Refuse an untrusted certificate"
        checked={channel.rejectUnauthorized !== false}
        onValue={(on) => set(['rejectUnauthorized'], on)}
      />
    </>
  );
}

/** A webhook's headers (values are secrets: masked like the URL) and its own body for alert messages. */
function WebhookExtras({ channel, set, problem, readOnly }: { channel: Channel; set: Set; problem: Problem; readOnly: boolean }) {
  const headers = Object.entries((channel.headers ?? {}) as Record<string, string>);
  const template = typeof channel.bodyTemplate === 'string' ? channel.bodyTemplate : '';
  return (
    <>
      <div className="flex min-w-0 flex-col gap-3 sm:col-span-2">
        <p className="text-sm font-medium text-muted">Headers</p>
        <ListEditor
          items={headers}
          onChange={(next) => set(['headers'], Object.fromEntries(next))}
          readOnly={readOnly}
          rowLabel={([name]) => `header ${name}`}
          addLabel="Add header"
          newItem={(count): [string, string] => [count === 0 ? 'Authorization' : `X-Header-${count + 1}`, '']}
          empty="No headers besides Vigil's own."
          rowTestId="header-row"
          columns={2}
          reorder={false}
        >
          {([name, value], at) => (
            <>
              <SettingInput
                label="Header name"
                value={name}
                problem={problem('headers', name)}
                onValue={(v) => set(['headers'], Object.fromEntries(headers.map((entry, i) => (i === at ? [v.trim(), entry[1]] : entry))))}
              />
              <SettingInput
                label="Header value"
                type="password"
                autoComplete="new-password"
                hint="stored sealed; shown masked"
                value={value}
                onValue={(v) => set(['headers', name], v)}
              />
            </>
          )}
        </ListEditor>
      </div>
      <div className="sm:col-span-2">
        <SettingTextArea
          label="Body template for alerts (optional)"
          hint={`JSON with placeholders: ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(' ')}`}
          value={template}
          problem={problem('bodyTemplate')}
          onValue={(v) => set(['bodyTemplate'], v === '' ? undefined : v)}
        />
      </div>
    </>
  );
}

function AlertmanagerFields({ channel, set, problem }: { channel: Channel; set: Set; problem: Problem }) {
  return (
    <>
      <SettingInput
        label="Alertmanager URLs"
        hint="every member of the cluster, separated by commas"
        value={((channel.urls as string[]) ?? []).join(', ')}
        problem={problem('urls') ?? problem('urls', 0)}
        onValue={(v) => set(['urls'], listOfText(v))}
      />
      <AlertmanagerAuthFields channel={channel} set={set} problem={problem} />
      <SettingInput
        label="Instance label (optional)"
        value={typeof channel.instance === 'string' ? channel.instance : ''}
        problem={problem('instance')}
        onValue={(v) => set(['instance'], v.trim() || undefined)}
      />
      <SettingInput
        label="Expire after (minutes)"
        inputMode="numeric"
        value={channel.expireAfterMinutes as number}
        problem={problem('expireAfterMinutes')}
        onValue={(v) => set(['expireAfterMinutes'], numberOfText(v))}
      />
    </>
  );
}

/** The fields of one channel's kind, each checked by the file's schema as typed. */
export function ChannelKindFields({ channel, at, api }: { channel: Channel; at: number; api: Api }) {
  const set: Set = (key, value) => api.update(setIn(api.draft, ['channels', at, ...key], value));
  const problem: Problem = (...key) => api.problemAt('channels', at, ...key);
  const props = { channel, set, problem };
  const url = (label: string, hint?: string) => (
    <SettingInput
      label={label}
      hint={hint}
      value={typeof channel.url === 'string' ? channel.url : ''}
      problem={problem('url')}
      onValue={(v) => set(['url'], v.trim())}
    />
  );
  const secretHint = 'its path is a secret: stored sealed, shown masked';
  switch (channel.kind) {
    case 'email':
      return <EmailFields {...props} />;
    case 'webhook':
      return (
        <>
          {url('URL', secretHint)}
          <SettingInput
            label="Signing secret (optional)"
            type="password"
            autoComplete="new-password"
            hint="signs each body (X-Vigil-Signature)"
            value={typeof channel.secret === 'string' ? channel.secret : ''}
            problem={problem('secret')}
            onValue={(v) => set(['secret'], v === '' ? undefined : v)}
          />
          <WebhookExtras {...props} readOnly={api.readOnly} />
        </>
      );
    case 'slack':
    case 'discord':
    case 'teams':
      return url('URL', secretHint);
    case 'ntfy':
      return (
        <>
          {url('Server URL')}
          <SettingInput
            label="Topic"
            value={typeof channel.topic === 'string' ? channel.topic : ''}
            problem={problem('topic')}
            onValue={(v) => set(['topic'], v)}
          />
          <SettingCheckbox label="Needs an access token" checked={channel.token !== undefined} onValue={(on) => set(['token'], on ? { env: '' } : undefined)} />
          {channel.token !== undefined ? <SecretRefField label="Access token" value={channel.token} field="token" {...props} /> : null}
        </>
      );
    case 'telegram':
      return (
        <>
          <SecretRefField label="Bot token" value={channel.botToken} field="botToken" {...props} />
          <SettingInput label="Chat id" value={channel.chatId as string | number} problem={problem('chatId')} onValue={(v) => set(['chatId'], v.trim())} />
          <ApiUrlField {...props} />
        </>
      );
    case 'pushover':
      return (
        <>
          <SecretRefField label="Application token" value={channel.token} field="token" {...props} />
          <SecretRefField label="User key" value={channel.user} field="user" {...props} />
          <ApiUrlField {...props} />
        </>
      );
    case 'pagerduty':
      return (
        <>
          <SecretRefField label="Routing key" value={channel.routingKey} field="routingKey" {...props} />
          <ApiUrlField {...props} />
        </>
      );
    case 'opsgenie':
      return (
        <>
          <SecretRefField label="API key" value={channel.apiKey} field="apiKey" {...props} />
          <ApiUrlField {...props} />
        </>
      );
    case 'alertmanager':
      return <AlertmanagerFields {...props} />;
    default:
      return <p className="text-sm text-muted">A {channel.kind} channel: kept as written; change it in the file.</p>;
  }
}
