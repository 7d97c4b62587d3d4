/**
 * Whether splitting batches across threads pays for a model, found by trying. A step split across
 * threads costs a fixed overhead (weights out, gradients back, summing them); models whose steps
 * are mostly per-step overhead rather than per-sample work (a small LSTM) train slower split. So
 * a run starts by timing steps both ways, alternately, and keeps the faster way.
 */

export type StepMode = 'split' | 'alone';

/** A step this long or longer is timed once per way; shorter ones three times (noise). */
const LONG_STEP_MS = 500;
/** Splitting must be this much faster per sample to be kept. */
const KEEP_SPLIT_ABOVE = 1.1;
/**
 * Untimed split steps first, at least 2 and until they took this long (at most 8): a replica's
 * thread starts cold (its own JIT, its own kernel caches), so its first steps are slower than it is.
 */
const WARM_UP_MS = 400;
const WARM_UP_MAX_STEPS = 8;

interface Timings {
  ms: number;
  samples: number;
  steps: number;
}

export interface TrialVerdict {
  mode: StepMode;
  /** Samples per second each way, as timed. */
  splitRate: number;
  aloneRate: number;
}

export class SplitTrial {
  private readonly warmUp = { splitSteps: 0, splitMs: 0, aloneDone: false };
  private readonly timed: Record<StepMode, Timings> = { split: { ms: 0, samples: 0, steps: 0 }, alone: { ms: 0, samples: 0, steps: 0 } };
  private verdictFound: TrialVerdict | null = null;

  get verdict(): TrialVerdict | null {
    return this.verdictFound;
  }

  private get splitWarm(): boolean {
    const { splitSteps, splitMs } = this.warmUp;
    return splitSteps >= 2 && (splitMs >= WARM_UP_MS || splitSteps >= WARM_UP_MAX_STEPS);
  }

  /** How the next step runs: warm-up (split steps, then one unsplit), then alternately, then the verdict for good. */
  next(): StepMode {
    if (this.verdictFound) return this.verdictFound.mode;
    if (!this.splitWarm) return 'split';
    if (!this.warmUp.aloneDone) return 'alone';
    return this.timed.split.steps <= this.timed.alone.steps ? 'split' : 'alone';
  }

  /** Records a step taken as `next()` said; returns the verdict when this step settled it. */
  record(mode: StepMode, ms: number, samples: number): TrialVerdict | null {
    if (this.verdictFound) return null;
    if (!this.splitWarm) {
      this.warmUp.splitSteps += 1;
      this.warmUp.splitMs += ms;
      return null;
    }
    if (!this.warmUp.aloneDone) {
      this.warmUp.aloneDone = true;
      return null;
    }
    const timings = this.timed[mode];
    timings.ms += ms;
    timings.samples += samples;
    timings.steps += 1;
    const { split, alone } = this.timed;
    const needed = Math.max(split.ms / Math.max(split.steps, 1), alone.ms / Math.max(alone.steps, 1)) >= LONG_STEP_MS ? 1 : 3;
    if (split.steps < needed || alone.steps < needed) return null;
    const splitRate = (1000 * split.samples) / split.ms;
    const aloneRate = (1000 * alone.samples) / alone.ms;
    this.verdictFound = { mode: splitRate >= KEEP_SPLIT_ABOVE * aloneRate ? 'split' : 'alone', splitRate, aloneRate };
    return this.verdictFound;
  }
}
