import type { FieldSpec, KindSpec } from './field-spec';

const url: FieldSpec = { key: 'url', label: 'URL', type: 'text', placeholder: 'https://shop.example.org/health' };
const ignoreTls: FieldSpec = { key: 'ignoreTlsErrors', label: 'Ignore TLS errors (self-signed certificates)', type: 'check' };

export const HTTP_KIND: KindSpec = {
  kind: 'http',
  summary: 'Requests a URL; 2xx and 3xx count as up.',
  fields: [
    url,
    { key: 'method', label: 'Method', type: 'select', options: ['GET', 'HEAD'], narrow: true },
    { key: 'bodyContains', label: 'Body contains', type: 'text', optional: true, placeholder: 'optional text the body must hold' },
    ignoreTls,
  ],
};

export const KEYWORD_KIND: KindSpec = {
  kind: 'keyword',
  summary: 'Requests a URL; its body must contain (or, inverted, must not contain) a word.',
  fields: [
    url,
    { key: 'keyword', label: 'Keyword', type: 'text', placeholder: 'in stock' },
    { key: 'invertKeyword', label: 'Down when the keyword is present', type: 'check' },
    ignoreTls,
  ],
};

export const GRPC_KIND: KindSpec = {
  kind: 'grpc',
  summary: 'Asks the gRPC health service; http:// for cleartext HTTP/2, https:// for TLS.',
  fields: [
    { key: 'url', label: 'URL', type: 'text', placeholder: 'http://127.0.0.1:50051' },
    { key: 'service', label: 'Service', type: 'text', optional: true, placeholder: 'empty: the server as a whole', mono: true },
  ],
};

export const TLS_KIND: KindSpec = {
  kind: 'tls',
  summary: 'Opens a TLS connection and checks the certificate: name, chain and days to expiry.',
  fields: [
    { key: 'host', label: 'Host', type: 'text', placeholder: 'shop.example.org', narrow: true },
    { key: 'port', label: 'Port', type: 'number', optional: true, placeholder: 'default 443', narrow: true },
    { key: 'serverName', label: 'Certificate name', type: 'text', optional: true, placeholder: 'the host when blank' },
    { key: 'expiryDays', label: 'Warn days before expiry', type: 'number', optional: true, placeholder: 'default 14' },
  ],
};
