import { clientAddress, isTrusted, normalizeIp, parseCidrList } from '@/lib/net/client-address';
import type { BlockList } from 'node:net';
import { parseIpv4 } from '@/lib/defense/ip-prefix';

const MAX_CACHED_PEERS = 4096;

/**
 * The client address of a guard request. A proxy sends every request from the same few
 * peers, so whether a peer is trusted is remembered instead of asked per request.
 */
export class SourceResolver {
  private trusted: BlockList;
  private readonly peerTrust = new Map<string, boolean>();

  constructor(trustedProxies: string[]) {
    this.trusted = parseCidrList(trustedProxies);
  }

  setTrustedProxies(trustedProxies: string[]): void {
    this.trusted = parseCidrList(trustedProxies);
    this.peerTrust.clear();
  }

  resolve(peer: string, forwardedFor: string | undefined, realIp: string | undefined): string {
    let trusted = this.peerTrust.get(peer);
    if (trusted === undefined) {
      trusted = isTrusted(this.trusted, peer);
      if (this.peerTrust.size >= MAX_CACHED_PEERS) this.peerTrust.clear();
      this.peerTrust.set(peer, trusted);
    }
    if (!trusted) return normalizeIp(peer);
    if (forwardedFor === undefined && realIp === undefined) return normalizeIp(peer);
    // The usual shape behind one proxy, one plain IPv4 hop, answered without splitting or regexes.
    if (forwardedFor !== undefined && parseIpv4(forwardedFor) !== null && !this.trusted.check(forwardedFor, 'ipv4')) return forwardedFor;
    return clientAddress({ peer, forwardedFor, realIp, trusted: this.trusted });
  }
}
