/**
 * The ids of requests already delivered downstream (Logplex-Frame-Id, X-Request-Id), so a
 * sender's retry of one is acknowledged without forwarding it twice. Bounded: the oldest ids are
 * forgotten first, and none is remembered longer than `ttlMillis` (Logplex retries within
 * seconds). Kept per replica: a retry that reaches another replica is forwarded again.
 */
export class DeliveredIds {
  private readonly _delivered = new Map<string, number>();
  private readonly _inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly _max: number,
    private readonly _ttlMillis = 15 * 60_000,
  ) {}

  /**
   * Runs `deliver` unless the id was delivered already (then `onDuplicate`) or is being delivered
   * right now (then this call settles with that delivery). Without an id, always delivers.
   */
  async once(id: string | undefined, deliver: () => Promise<void>, onDuplicate: () => void): Promise<void> {
    if (id === undefined || this._max <= 0) return deliver();
    const at = this._delivered.get(id);
    if (at !== undefined && Date.now() - at < this._ttlMillis) {
      onDuplicate();
      return;
    }
    const running = this._inFlight.get(id);
    if (running) {
      onDuplicate();
      return running;
    }
    const delivery = deliver().then(() => this._remember(id));
    this._inFlight.set(id, delivery);
    try {
      await delivery;
    } finally {
      this._inFlight.delete(id);
    }
  }

  private _remember(id: string): void {
    this._delivered.delete(id);
    this._delivered.set(id, Date.now());
    while (this._delivered.size > this._max) {
      const oldest = this._delivered.keys().next().value as string;
      this._delivered.delete(oldest);
    }
  }
}
