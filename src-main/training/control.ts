/** Pause, resume and stop for a run, checked between batches. */
export class RunControl {
  private pausedResolvers: (() => void)[] = [];
  private readonly listeners: ((change: 'pause' | 'resume' | 'stop') => void)[] = [];
  paused = false;
  stopRequested = false;

  pause(): void {
    this.paused = true;
    this.tell('pause');
  }

  resume(): void {
    this.paused = false;
    for (const resolve of this.pausedResolvers.splice(0)) resolve();
    this.tell('resume');
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
    this.tell('stop');
  }

  /** Resolves at once while running, or when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.pausedResolvers.push(resolve));
  }

  /**
   * Calls `listener` on every pause, resume and stop (an engine in another process passes them on);
   * returns the unsubscribe.
   */
  subscribe(listener: (change: 'pause' | 'resume' | 'stop') => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  private tell(change: 'pause' | 'resume' | 'stop'): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
