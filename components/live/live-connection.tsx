'use client';

import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { HISTORY_RANGES, type HealthPoint, type HistoryRange } from '@/lib/health/history-range';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { HealthSnapshot } from '@/lib/health/types';
import type { DefenseOverview } from '@/lib/defense/defense-types';
import { withDecision, withMode, withThreat } from '@/lib/defense/overview-updates';
import { withCommandUpdate } from '@/lib/fleet/fleet-command-choices';
import type { FleetCommandView } from '@/lib/fleet/fleet-command-api';
import { apiFetch } from '../queries/api-fetch';
import { queryKeys } from '../queries/query-keys';
import type { HealthHistory } from '../queries/use-health-history-query';
import { setLiveStatus } from './live-status-store';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface LiveTokenResponse {
  token: string;
  url: string | null;
  port: number;
}

function pointOf(snapshot: HealthSnapshot): HealthPoint {
  const { sample } = snapshot;
  return {
    at: sample.at,
    cpu: sample.cpuPercent,
    memory: sample.memoryPercent,
    disk: sample.disks.reduce((max, d) => Math.max(max, d.usedPercent), 0),
    load1: sample.load1,
    score: snapshot.score,
    degradation: snapshot.degradation,
  };
}

/** Appends a live sample to every raw-resolution chart in the cache, trimming what fell out of its range. */
function appendToHistories(client: QueryClient, snapshot: HealthSnapshot): void {
  const point = pointOf(snapshot);
  for (const [key, data] of client.getQueriesData<HealthHistory>({ queryKey: queryKeys.healthHistoryAll() })) {
    if (!data || data.resolution !== 'raw') continue;
    const range = (key[1] as { range: HistoryRange }).range;
    const cutoff = Date.parse(point.at) - HISTORY_RANGES[range];
    const last = data.points[data.points.length - 1];
    if (last && last.at >= point.at) continue;
    client.setQueryData<HealthHistory>(key, { ...data, points: [...data.points.filter((p) => Date.parse(p.at) >= cutoff), point] });
  }
}

/**
 * The one place that listens to the worker's socket. It writes what arrives into the
 * React Query cache; widgets only read their queries. After any reconnect it refetches
 * history, so a gap while the worker was away is filled from the database.
 */
export function LiveConnection() {
  const client = useQueryClient();

  useEffect(() => {
    let socket: LiveSocket | null = null;
    let cancelled = false;
    let auditRefresh: ReturnType<typeof setTimeout> | null = null;

    const refreshAuditSoon = () => {
      auditRefresh ??= setTimeout(() => {
        auditRefresh = null;
        void client.invalidateQueries({ queryKey: queryKeys.auditRecentAll() });
        // Only timelines looking at "now" follow the head; a view pinned to the past stays put.
        // A refetch would cancel an operator's "Load older" in flight and drop the page they
        // asked for, so while a timeline is fetching the refresh waits for it instead.
        if (client.isFetching({ queryKey: queryKeys.auditSearchLive() }) > 0) refreshAuditSoon();
        else void client.invalidateQueries({ queryKey: queryKeys.auditSearchLive() });
      }, 300);
    };

    let integrityRefresh: ReturnType<typeof setTimeout> | null = null;
    const refreshIntegritySoon = () => {
      integrityRefresh ??= setTimeout(() => {
        integrityRefresh = null;
        void client.invalidateQueries({ queryKey: queryKeys.integrity() });
      }, 300);
    };
    const updateDefense = (update: (overview: DefenseOverview) => DefenseOverview) =>
      client.setQueryData<DefenseOverview>(queryKeys.defense(), (overview) => (overview ? update(overview) : overview));

    void (async () => {
      let first: LiveTokenResponse;
      try {
        first = await apiFetch<LiveTokenResponse>('/api/live-token');
      } catch {
        setLiveStatus({ state: 'offline' });
        return;
      }
      if (cancelled) return;
      const url = first.url ?? `${window.location.protocol}//${window.location.hostname}:${first.port}`;
      socket = io(url, {
        transports: ['websocket'],
        reconnectionDelay: 500,
        reconnectionDelayMax: 4000,
        // A fresh short-lived token for every (re)connection.
        auth: (cb) => {
          apiFetch<LiveTokenResponse>('/api/live-token')
            .then((t) => cb({ token: t.token }))
            .catch(() => cb({ token: '' }));
        },
      });
      socket.on('connect', () => {
        setLiveStatus({ state: 'live', attempts: 0 });
        void client.invalidateQueries({ queryKey: queryKeys.healthHistoryAll() });
        void client.invalidateQueries({ queryKey: queryKeys.healthCurrent() });
        // An operation may have finished while the socket was away.
        void client.invalidateQueries({ queryKey: queryKeys.recovery() });
        void client.invalidateQueries({ queryKey: queryKeys.modules() });
        void client.invalidateQueries({ queryKey: queryKeys.incidents() });
        void client.invalidateQueries({ queryKey: queryKeys.defense() });
        void client.invalidateQueries({ queryKey: queryKeys.integrity() });
        // A save while the socket was away is only announced once.
        void client.invalidateQueries({ queryKey: queryKeys.configStatus() });
        void client.invalidateQueries({ queryKey: queryKeys.fleetHosts() });
        refreshAuditSoon();
      });
      socket.on('disconnect', () => setLiveStatus({ state: 'offline' }));
      socket.on('connect_error', () => setLiveStatus({ state: 'offline' }));
      socket.io.on('reconnect_attempt', (attempt) => setLiveStatus({ attempts: attempt }));
      socket.on('health:sample', (snapshot) => {
        setLiveStatus({ lastMessageAt: Date.now() });
        client.setQueryData(queryKeys.healthCurrent(), snapshot);
        appendToHistories(client, snapshot);
      });
      socket.on('degradation:changed', refreshAuditSoon);
      socket.on('audit:appended', refreshAuditSoon);
      socket.on('recovery:progress', (progress) => {
        client.setQueryData(queryKeys.recoveryProgress(), progress);
        // The worker answers the command only when it is over; a CLI run has no answer here at all.
        if (progress.finished) void client.invalidateQueries({ queryKey: queryKeys.recovery() });
      });
      socket.on('modules:changed', ({ modules }) => client.setQueryData(queryKeys.modules(), modules));
      socket.on('config:status', (status) => client.setQueryData(queryKeys.configStatus(), status));
      socket.on('forecast:updated', () => {
        void client.invalidateQueries({ queryKey: queryKeys.forecast() });
        void client.invalidateQueries({ queryKey: queryKeys.governor() });
      });
      socket.on('defense:threat', (threat) => updateDefense((o) => withThreat(o, threat)));
      socket.on('defense:decision', (change) => updateDefense((o) => withDecision(o, change)));
      socket.on('defense:mode', (change) => updateDefense((o) => withMode(o, change)));
      // A rebaseline or a burst of changed files sends many findings: one refetch covers them.
      socket.on('integrity:finding', refreshIntegritySoon);
      // Already coalesced by the worker (one event a second at most): refetch the list as it is.
      socket.on('fleet:host_changed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.fleetHosts() });
        // A host's answer to a configuration push is announced as a change of that host.
        void client.invalidateQueries({ queryKey: queryKeys.fleetConfig() });
      });
      socket.on('fleet:command-update', (update) => {
        const commands = client.getQueryData<FleetCommandView[]>(queryKeys.fleetCommands());
        const updated = commands ? withCommandUpdate(commands, update) : null;
        if (updated) client.setQueryData(queryKeys.fleetCommands(), updated);
        else void client.invalidateQueries({ queryKey: queryKeys.fleetCommands() });
      });
      socket.on('incident:changed', () => {
        void client.invalidateQueries({ queryKey: queryKeys.incidents() });
        // An open timeline drawer gains the step that moved the incident.
        void client.invalidateQueries({ queryKey: queryKeys.incidentAll() });
      });
    })();

    return () => {
      cancelled = true;
      if (auditRefresh) clearTimeout(auditRefresh);
      if (integrityRefresh) clearTimeout(integrityRefresh);
      socket?.disconnect();
    };
  }, [client]);

  return null;
}
