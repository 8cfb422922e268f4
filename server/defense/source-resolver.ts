import { clientAddress, isTrusted, normalizeIp } from '@/lib/net/client-address';
import { TrustedProxies } from '@/lib/net/trusted-proxies';
import { parseIpv4 } from '@/lib/defense/ip-prefix';

const MAX_CACHED_PEERS = 4096;

interface Peer {
  trusted: boolean;
  /** The peer as a client address (an IPv4-mapped socket address unmapped). */
  address: string;
}

/**
 * The client address of a guard request. A proxy sends every request from the same few
 * peers, so whether a peer is trusted (and its normal form) is remembered instead of asked
 * per request.
 */
export class SourceResolver {
  private trusted: TrustedProxies;
  private readonly peers = new Map<string, Peer>();

  constructor(trustedProxies: string[]) {
    this.trusted = new TrustedProxies(trustedProxies);
  }

  setTrustedProxies(trustedProxies: string[]): void {
    this.trusted = new TrustedProxies(trustedProxies);
    this.peers.clear();
  }

  resolve(peerAddress: string, forwardedFor: string | undefined, realIp: string | undefined): string {
    let peer = this.peers.get(peerAddress);
    if (peer === undefined) {
      peer = { trusted: isTrusted(this.trusted.list, peerAddress), address: normalizeIp(peerAddress) };
      if (this.peers.size >= MAX_CACHED_PEERS) this.peers.clear();
      this.peers.set(peerAddress, peer);
    }
    if (!peer.trusted) return peer.address;
    if (forwardedFor === undefined && realIp === undefined) return peer.address;
    // The usual shape behind one proxy, one plain IPv4 hop, answered without splitting or regexes.
    if (forwardedFor !== undefined) {
      const hop = parseIpv4(forwardedFor);
      if (hop !== null && !this.trusted.includesIpv4(hop)) return forwardedFor;
    }
    return clientAddress({ peer: peerAddress, forwardedFor, realIp, trusted: this.trusted.list });
  }
}
