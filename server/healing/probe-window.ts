interface Sample {
  at: number;
  ok: boolean;
  latencyMs: number | null;
}

/** Probe results of the last few minutes, for error rate and latency percentiles. */
export class ProbeWindow {
  private samples: Sample[] = [];

  constructor(private readonly spanMs: number) {}

  add(sample: Sample): void {
    this.samples.push(sample);
    const cutoff = sample.at - this.spanMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].at < cutoff) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  reset(): void {
    this.samples = [];
  }

  private since(windowMs: number, now: number): Sample[] {
    const cutoff = now - windowMs;
    return this.samples.filter((s) => s.at >= cutoff);
  }

  errorRate(windowMs: number, now: number): { rate: number; total: number } {
    const recent = this.since(windowMs, now);
    if (recent.length === 0) return { rate: 0, total: 0 };
    return { rate: recent.filter((s) => !s.ok).length / recent.length, total: recent.length };
  }

  /** Nearest-rank P95 of the successful probes' latency; null with fewer than `minimum` of them. */
  p95(windowMs: number, now: number, minimum = 5): number | null {
    const latencies = this.since(windowMs, now)
      .filter((s) => s.ok && s.latencyMs !== null)
      .map((s) => s.latencyMs!)
      .sort((a, b) => a - b);
    if (latencies.length < minimum) return null;
    return latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)];
  }
}

/**
 * The "normal" P95, learned as a slow EWMA over healthy windows only, so a degradation does
 * not teach itself to be normal. Until enough windows were seen there is no baseline.
 */
export class LatencyBaseline {
  private value: number | null = null;
  private windows = 0;

  constructor(
    private readonly alpha = 0.1,
    private readonly warmup = 10,
  ) {}

  get current(): number | null {
    return this.windows >= this.warmup ? this.value : null;
  }

  learn(p95: number): void {
    this.value = this.value === null ? p95 : this.value + this.alpha * (p95 - this.value);
    this.windows += 1;
  }
}
