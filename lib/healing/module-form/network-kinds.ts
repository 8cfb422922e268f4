import type { FieldSpec, KindSpec } from './field-spec';
import { DNS_RECORD_TYPES } from '@/lib/healing/monitor-kinds-schema';

const host: FieldSpec = { key: 'host', label: 'Host', type: 'text', placeholder: '127.0.0.1', narrow: true };

export const TCP_KIND: KindSpec = {
  kind: 'tcp',
  summary: 'Opens a TCP connection; up when the port accepts it.',
  fields: [host, { key: 'port', label: 'Port', type: 'number', placeholder: '5432', narrow: true }],
};

export const DNS_KIND: KindSpec = {
  kind: 'dns',
  summary: 'Asks a resolver directly (not the system one) and checks the answers.',
  fields: [
    { key: 'host', label: 'Name to look up', type: 'text', placeholder: 'shop.example.org', narrow: true },
    { key: 'recordType', label: 'Record', type: 'select', options: DNS_RECORD_TYPES, narrow: true },
    { key: 'resolver', label: 'Resolver', type: 'text', placeholder: '9.9.9.9 or 127.0.0.1:5353', mono: true },
    { key: 'expect', label: 'Expected answers (one per line)', type: 'lines', rows: 2, hint: 'Each must be among the answers; none: any answer is up.' },
  ],
};

export const PING_KIND: KindSpec = {
  kind: 'ping',
  summary: 'Sends ICMP echoes; down when more are lost than allowed.',
  fields: [
    host,
    { key: 'count', label: 'Echoes', type: 'number', optional: true, placeholder: 'default 3', narrow: true },
    { key: 'maxLossPercent', label: 'Max loss (%)', type: 'number', optional: true, placeholder: 'default 50' },
  ],
};

export const SMTP_KIND: KindSpec = {
  kind: 'smtp',
  summary: 'Connects to a mail server and expects its 220 greeting.',
  fields: [host, { key: 'port', label: 'Port', type: 'number', optional: true, placeholder: 'default 25', narrow: true }],
};
