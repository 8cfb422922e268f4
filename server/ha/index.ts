export { Cluster, SOCKET_IO_ATTACHMENTS_TABLE } from './cluster';
export { ClusterRouter } from './cluster-router';
export { forwardToLeader, FORWARDED_BY_HEADER } from './leader-proxy';
export { LeaderHealth } from './leader-health';
export { SignalRelay } from './signal-relay';
export { LEADER_LOCK_KEY } from './leader-election';
export { CLUSTER_CHANNEL } from './cluster-bus';
export { foreignCheckpointKey } from './signing-key-check';
