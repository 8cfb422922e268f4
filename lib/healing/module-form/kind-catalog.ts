import type { ModuleKind } from '@/lib/healing/module-schema';
import type { KindSpec } from './field-spec';
import { MYSQL_KIND, POSTGRES_KIND, REDIS_KIND } from './database-kinds';
import { COMMAND_KIND, DOCKER_KIND, EXTERNAL_KIND, PROCESS_KIND, PUSH_KIND } from './host-kinds';
import { DNS_KIND, PING_KIND, SMTP_KIND, TCP_KIND } from './network-kinds';
import { GRPC_KIND, HTTP_KIND, KEYWORD_KIND, TLS_KIND } from './web-kinds';

/** Every kind the module schema accepts, in the order the kind picker offers them. */
export const KIND_SPECS: readonly KindSpec[] = [
  HTTP_KIND,
  KEYWORD_KIND,
  TCP_KIND,
  DNS_KIND,
  PING_KIND,
  TLS_KIND,
  SMTP_KIND,
  GRPC_KIND,
  POSTGRES_KIND,
  MYSQL_KIND,
  REDIS_KIND,
  DOCKER_KIND,
  PUSH_KIND,
  EXTERNAL_KIND,
  PROCESS_KIND,
  COMMAND_KIND,
];

const BY_KIND = new Map<ModuleKind, KindSpec>(KIND_SPECS.map((spec) => [spec.kind, spec]));

export function kindSpec(kind: ModuleKind): KindSpec {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`no form for module kind ${kind}`);
  return spec;
}
