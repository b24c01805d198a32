/**
 * Tracks tool calls in flight so a reload can let them finish first, and holds new calls
 * back while it runs.
 */
export class CallGate {
  private readonly active = new Set<number>();
  private closers = 0;
  private openWaiters: (() => void)[] = [];
  private changeWaiters: (() => void)[] = [];

  async enter(id: number): Promise<void> {
    while (this.closers > 0) await new Promise<void>((r) => this.openWaiters.push(r));
    this.active.add(id);
  }

  /** Count a call that left with `leave` as running again, without waiting for the gate to open. */
  rejoin(id: number): void {
    this.active.add(id);
  }

  leave(id: number): void {
    this.active.delete(id);
    this.changeWaiters.splice(0).forEach((w) => w());
  }

  get isClosed(): boolean {
    return this.closers > 0;
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** Stop admitting calls; the returned function admits them again. */
  close(): () => void {
    this.closers++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.closers--;
      if (this.closers === 0) this.openWaiters.splice(0).forEach((w) => w());
    };
  }

  /** Wait until no call but `except` is running, or `timeoutMs` passes. Returns whether it drained. */
  async drain(except: number | undefined, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const busy = () => [...this.active].some((id) => id !== except);
    while (busy()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.changeWaiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return true;
  }
}
