/** Pause, resume and stop for a run, checked between batches. */
export class RunControl {
  private pausedResolvers: (() => void)[] = [];
  paused = false;
  stopRequested = false;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const resolve of this.pausedResolvers.splice(0)) resolve();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** Resolves at once while running, or when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.pausedResolvers.push(resolve));
  }
}
