import { z } from 'zod';
import type { HostSection } from '@/lib/fleet/fleet-query-api';
import type { RouteAuth } from '../http/auth';
import { defenseContracts } from './defense-contracts';
import { healingContracts } from './healing-contracts';
import { recoveryContracts } from './recovery-contracts';
import { defineRoute } from './route-contract';
import { isoTime } from './wire';

/** Each view of a host is exactly the local route's answer: the same schema checks both. */
export const HOST_SECTION_SCHEMAS = {
  healing: healingContracts.overview.response,
  modules: healingContracts.modules.response,
  incidents: healingContracts.incidents.response,
  snapshots: recoveryContracts.overview.response,
  threats: defenseContracts.threats.response,
} satisfies Record<HostSection, z.ZodType>;

const sectionView = <S extends HostSection>(section: S) =>
  z.object({
    hostId: z.number(),
    section: z.literal(section),
    asOf: isoTime,
    live: z.boolean(),
    data: HOST_SECTION_SCHEMAS[section],
  });

const DESCRIPTION =
  'Host 1 (this console) answers from its own state. Another host is asked through its agent (5 s at most): ' +
  '`live` false and `asOf` give the last answer kept while it is away; with none, 503 `host_unreachable` and Retry-After. ' +
  'An answer that is not such a view (malformed, or over 512 KiB) is a 502 `host_answer_invalid`.';

/** The machine API's view of a host, with the same access as the local route it mirrors. */
const machineRoute = <S extends HostSection, A extends RouteAuth>(section: S, auth: A, mirrors: string) =>
  defineRoute({
    method: 'GET',
    path: `/api/v1/hosts/:id/${section}` as const,
    auth,
    tag: 'Fleet',
    summary: `One host's ${mirrors}, as its own ${section === 'snapshots' ? 'Recovery page' : 'API'} shows them`,
    description: DESCRIPTION,
    response: sectionView(section),
  });

/** The same views for the web app's pages, which checked the session already. */
const pageRoute = <S extends HostSection>(section: S) =>
  defineRoute({
    method: 'GET',
    path: `/internal/v1/fleet/hosts/:id/${section}` as const,
    auth: 'internal',
    tag: 'Internal',
    summary: `One host's ${section} view, for the console's pages scoped to it`,
    response: sectionView(section),
  });

export const hostSectionContracts = {
  hostHealing: machineRoute('healing', 'modules:read', 'modules, open and recent incidents'),
  hostModules: machineRoute('modules', 'modules:read', 'modules'),
  hostIncidents: machineRoute('incidents', 'modules:read', 'incidents'),
  hostSnapshots: machineRoute('snapshots', 'fleet:read', 'snapshots and golden status'),
  hostThreats: machineRoute('threats', 'threats:read', 'recent threats and defense mode'),
  pageHealing: pageRoute('healing'),
  pageModules: pageRoute('modules'),
  pageIncidents: pageRoute('incidents'),
  pageSnapshots: pageRoute('snapshots'),
  pageThreats: pageRoute('threats'),
};
