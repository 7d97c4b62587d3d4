import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/**
 * The PyTorch engine's runner as a child process: JSON commands on its stdin, JSON lines back on
 * stdout, its stderr kept for the error message when it dies. It runs in a process group of its own
 * (torchrun starts workers beside it), which `kill()` ends as a whole.
 */

const Figures = z.object({ loss: z.number().nullable(), accuracy: z.number().nullable().optional(), classError: z.number().nullable().optional(), bboxMae: z.number().nullable().optional() });
export type Figures = z.infer<typeof Figures>;

const DataFile = z.object({ file: z.string(), dtype: z.enum(['float32', 'int32']), shape: z.array(z.number().int().min(0)) });
export type DataFile = z.infer<typeof DataFile>;

export const RunnerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), torch: z.string(), python: z.string(), device: z.string(), threads: z.number().int(), processes: z.number().int() }),
  z.object({
    type: z.literal('batch'),
    epoch: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    loss: z.number().nullable(),
    accuracy: z.number().nullable().optional(),
    samplesPerSecond: z.number().nullable(),
  }),
  z.object({ type: z.literal('epoch'), stopped: z.boolean(), train: Figures, samples: z.number().int(), seconds: z.number(), finite: z.boolean(), validation: Figures.optional() }),
  z.object({ type: z.literal('done'), cmd: z.string(), name: z.string().optional() }),
  z.object({
    type: z.literal('test'),
    metrics: Figures,
    confusion: z.array(z.array(z.number())).optional(),
    probabilities: DataFile.optional(),
    masks: DataFile.optional(),
    candidates: z.array(z.tuple([z.number().int(), z.number().int(), z.array(z.number()), z.array(z.number())])).optional(),
  }),
]);
export type RunnerMessage = z.infer<typeof RunnerMessage>;
type Reply = Exclude<RunnerMessage, { type: 'batch' }>;

/** The runner died or said something it shouldn't: the message says what and what to change. */
export class RunnerFailed extends Error {
  override readonly name = 'RunnerFailed';
}

const STDERR_LINES_KEPT = 30;

/** What to suggest for the last lines of a runner that died. */
export function explainFailure(stderrTail: readonly string[], code: number | null, signal: NodeJS.Signals | null): string {
  const text = stderrTail.join('\n');
  const last = stderrTail.filter((l) => l.trim() !== '').slice(-8).join('\n');
  const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
  if (/out of memory/i.test(text)) {
    return `PyTorch ran out of memory on the device: lower the batch size (or train on the CPU).\n${last}`;
  }
  if (/No module named 'numpy'|No module named numpy/.test(text)) return `The PyTorch runner needs numpy: install it for this Python (pip install numpy).\n${last}`;
  return `The PyTorch process ${how}.${last ? ` Its last words:\n${last}` : ''}`;
}

export interface RunnerOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  onBatch: (message: Extract<RunnerMessage, { type: 'batch' }>) => void;
}

/** Every runner this process started, so that none outlives it. */
const live = new Set<RunnerProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const runner of live) runner.kill();
  });
}

export class RunnerProcess {
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private readonly waiting: { resolve: (m: Reply) => void; reject: (e: Error) => void }[] = [];
  private readonly early: Reply[] = [];
  private failure: RunnerFailed | null = null;
  private readonly onBatch: RunnerOptions['onBatch'];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(options: RunnerOptions) {
    installExitHook();
    this.onBatch = options.onBatch;
    this.child = spawn(options.command, [...options.args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    live.add(this);
    // A failed write after the runner died is reported through `exited`, not as an uncaught error.
    this.child.stdin?.on('error', () => undefined);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.receive(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES_KEPT) this.stderr.shift();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.fail(new RunnerFailed(`Could not start ${options.command}: ${error.message}`));
        live.delete(this);
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => {
        live.delete(this);
        this.fail(new RunnerFailed(explainFailure(this.stderr, code, signal)));
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last lines the runner wrote to stderr (warnings included). */
  stderrTail(): string[] {
    return [...this.stderr];
  }

  private receive(line: string): void {
    if (!line.startsWith('{')) return; // a library's stray print: not for us
    let parsed: RunnerMessage;
    try {
      parsed = RunnerMessage.parse(JSON.parse(line));
    } catch (error) {
      this.fail(new RunnerFailed(`The PyTorch runner sent a message the app does not understand: ${line.slice(0, 200)} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`));
      this.kill();
      return;
    }
    if (parsed.type === 'batch') {
      this.onBatch(parsed);
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(parsed);
    else this.early.push(parsed);
  }

  private fail(error: RunnerFailed): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }

  /** Sends a control message that takes effect between batches (no reply). */
  control(cmd: 'pause' | 'resume' | 'stop'): void {
    this.child.stdin?.write(`${JSON.stringify({ cmd })}\n`);
  }

  /** The next reply (not a batch report), e.g. 'ready' after the start. */
  next(): Promise<Reply> {
    const queued = this.early.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Sends a command and waits for its reply, which must be of type `type`. */
  async request<T extends Reply['type']>(command: Record<string, unknown>, type: T): Promise<Extract<Reply, { type: T }>> {
    if (this.failure) throw this.failure;
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    const reply = await this.next();
    if (reply.type !== type) throw new RunnerFailed(`The PyTorch runner answered '${reply.type}' to '${String(command.cmd)}'.`);
    return reply as Extract<Reply, { type: T }>;
  }

  /** Ends the runner and everything it started (its process group), at once. */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  /** Asks the runner to quit and waits for it; kills it if it does not go within `graceMs`. */
  async quit(graceMs = 10_000): Promise<void> {
    if (!this.failure) {
      try {
        this.child.stdin?.write(`${JSON.stringify({ cmd: 'quit' })}\n`);
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
