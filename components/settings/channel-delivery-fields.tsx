'use client';

import { useState } from 'react';
import { NOTIFICATION_KINDS } from '@/lib/healing/incident';
import { numberOfText } from './draft';
import type { Channel } from './channel-kinds';
import { SettingCheckbox, SettingInput, SettingSelect } from './setting-field';

type Set = (key: (string | number)[], value: unknown) => void;
type Problem = (...key: (string | number)[]) => string | undefined;

const KIND_LABELS: Record<(typeof NOTIFICATION_KINDS)[number], string> = {
  alert: 'alerts',
  reminder: 'reminders',
  critical: 'critical escalations',
  recovery: 'recoveries',
};

/**
 * What every channel shares: which notifications it takes, how long an attempt may last, how
 * often a failed one is tried again, and how many may wait for it.
 */
export function ChannelDeliveryFields({ channel, set, problem }: { channel: Channel; set: Set; problem: Problem }) {
  const kinds = (channel.kinds as string[] | undefined) ?? [...NOTIFICATION_KINDS];
  const toggle = (kind: string, on: boolean) => {
    const next = NOTIFICATION_KINDS.filter((k) => (k === kind ? on : kinds.includes(k)));
    // Every kind is what an absent list means: the file stays as short as it can be.
    set(['kinds'], next.length === NOTIFICATION_KINDS.length ? undefined : next);
  };
  const number = (key: string) => (typeof channel[key] === 'number' ? (channel[key] as number) : undefined);
  return (
    <>
      <fieldset className="flex flex-col gap-1 sm:col-span-2">
        <legend className="text-xs font-medium text-muted">Sends</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {NOTIFICATION_KINDS.map((kind) => (
            <SettingCheckbox key={kind} label={KIND_LABELS[kind]} checked={kinds.includes(kind)} onValue={(on) => toggle(kind, on)} />
          ))}
        </div>
        {problem('kinds') ? <p className="text-xs text-bad">{problem('kinds')}</p> : null}
      </fieldset>
      <SettingInput
        label="Time limit per attempt (seconds)"
        inputMode="decimal"
        value={number('timeoutSeconds')}
        placeholder="default 10"
        problem={problem('timeoutSeconds')}
        onValue={(v) => set(['timeoutSeconds'], v.trim() === '' ? undefined : numberOfText(v))}
      />
      <SettingInput
        label="Retries after a failure"
        inputMode="numeric"
        value={number('retries')}
        placeholder="default 3"
        problem={problem('retries')}
        onValue={(v) => set(['retries'], v.trim() === '' ? undefined : numberOfText(v))}
      />
      <SettingInput
        label="Waiting notifications kept"
        inputMode="numeric"
        value={number('queueSize')}
        placeholder="default 100"
        problem={problem('queueSize')}
        onValue={(v) => set(['queueSize'], v.trim() === '' ? undefined : numberOfText(v))}
      />
    </>
  );
}

const AUTH_KINDS = [
  { value: 'none', label: 'none' },
  { value: 'bearer', label: 'bearer token' },
  { value: 'basic', label: 'user name and password' },
];

/** How Vigil signs in to Alertmanager: credentials named by environment variable, never written. */
export function AlertmanagerAuthFields({ channel, set, problem }: { channel: Channel; set: Set; problem: Problem }) {
  const auth = channel.auth as { bearerTokenEnv?: string; username?: string; passwordEnv?: string } | undefined;
  const kind = auth?.bearerTokenEnv !== undefined ? 'bearer' : auth?.username !== undefined ? 'basic' : 'none';
  return (
    <>
      <SettingSelect
        label="Sign in with"
        value={kind}
        options={AUTH_KINDS}
        onValue={(next) => set(['auth'], next === 'bearer' ? { bearerTokenEnv: '' } : next === 'basic' ? { username: '', passwordEnv: '' } : undefined)}
      />
      {kind === 'bearer' ? (
        <SettingInput
          label="Bearer token variable"
          hint="an environment variable of the worker"
          value={auth?.bearerTokenEnv ?? ''}
          problem={problem('auth', 'bearerTokenEnv') ?? problem('auth')}
          onValue={(v) => set(['auth'], { bearerTokenEnv: v.trim() })}
        />
      ) : null}
      {kind === 'basic' ? (
        <>
          <SettingInput
            label="User name"
            value={auth?.username ?? ''}
            problem={problem('auth', 'username') ?? problem('auth')}
            onValue={(v) => set(['auth'], { ...auth, username: v.trim() })}
          />
          <SettingInput
            label="Password variable"
            hint="an environment variable of the worker"
            value={auth?.passwordEnv ?? ''}
            problem={problem('auth', 'passwordEnv')}
            onValue={(v) => set(['auth'], { ...auth, passwordEnv: v.trim() })}
          />
        </>
      ) : null}
      <LabelsField labels={(channel.labels as Record<string, string> | undefined) ?? {}} set={set} problem={problem} />
    </>
  );
}

const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

/** `team=ops, env=prod`, kept as typed while it is being typed, so a half-written pair is not lost. */
function LabelsField({ labels, set, problem }: { labels: Record<string, string>; set: Set; problem: Problem }) {
  const [text, setText] = useState(() => labelsText(labels));
  const pairs = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unpaired = pairs.find((pair) => !/^[^=\s]+=/.test(pair));
  const nameProblem = pairs.map((pair) => problem('labels', pair.split('=')[0])).find(Boolean);
  return (
    <SettingInput
      label="Labels added to every alert (optional)"
      hint="name=value pairs, separated by commas"
      value={text}
      placeholder="team=ops, env=prod"
      problem={unpaired ? `“${unpaired}” is not name=value` : nameProblem}
      onValue={(next) => {
        setText(next);
        const entries = next
          .split(',')
          .map((part) => part.trim())
          .filter((part) => /^[^=\s]+=/.test(part))
          .map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()] as const);
        set(['labels'], Object.fromEntries(entries));
      }}
    />
  );
}
