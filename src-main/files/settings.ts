import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../src-shared/api/contract';
import { writeFileAtomic } from './atomicWrite';
import { DanglingLinkError, isWithin, realPathOf } from './pathGuard';

/** The most files and folders remembered as picked; the oldest picks are forgotten first. */
export const MAX_PICKED_PATHS = 200;

const AbsolutePath = z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'must be an absolute path');

/**
 * Every workspace setting, each with its default. To add one, add a line here: its type, its check
 * and its default follow everywhere. A value that fails its check reads as its default, so one bad
 * hand edit never costs the other settings.
 */
export const settingsSchema = {
  /** Files and folders outside the workspace the user picked in a native dialog (real paths, newest first). */
  pickedPaths: z.array(AbsolutePath).max(MAX_PICKED_PATHS).default([]),
  /** The Python interpreter the PyTorch engine uses before python3 and python on PATH; null: none set. */
  pythonPath: AbsolutePath.nullable().default(null),
};

/** Keys it does not know (a newer version's) are kept, so saving never drops them. */
export const WorkspaceSettings = z.looseObject(settingsSchema);
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;


type Raw = { kind: 'missing' } | { kind: 'damaged'; reason: string } | { kind: 'ok'; value: Record<string, unknown> };

/**
 * The workspace's settings, in `.netwright/settings.json` (Netwright's own folder, which the file API
 * never writes): JSON, validated, written atomically. Changes are applied one at a time, so two
 * remembered picks arriving together both stay. A damaged file, or one a link leads outside the
 * workspace (settings decide what is allowed, so they must be the workspace's own), reads as the
 * defaults and is never overwritten: changing a setting then asks the user to fix or delete it.
 *
 * @example
 * const settings = new SettingsStore('/home/me/Netwright');
 * await settings.set('pickedPaths', ['/home/me/elsewhere.netwright']);
 * (await settings.read()).pickedPaths; // ['/home/me/elsewhere.netwright']
 */
export class SettingsStore {
  private pending: Promise<unknown> = Promise.resolve();

  readonly file: string;

  constructor(readonly workspaceRoot: string) {
    this.file = path.join(workspaceRoot, '.netwright', 'settings.json');
  }

  async read(): Promise<WorkspaceSettings> {
    const raw = await this.readRaw();
    return withDefaults(raw.kind === 'ok' ? raw.value : {});
  }

  async get<K extends keyof typeof settingsSchema>(key: K): Promise<WorkspaceSettings[K]> {
    return (await this.read())[key];
  }

  async set<K extends keyof typeof settingsSchema>(key: K, value: WorkspaceSettings[K]): Promise<WorkspaceSettings> {
    return this.update((current) => ({ ...current, [key]: value }));
  }

  /** Read, change, check and write, queued behind any change still being written. */
  async update(change: (current: WorkspaceSettings) => WorkspaceSettings): Promise<WorkspaceSettings> {
    const next = this.pending.then(async () => {
      const raw = await this.readRaw();
      if (raw.kind === 'damaged') {
        throw new ApiError(`The workspace settings (.netwright/settings.json) are damaged (${raw.reason}); fix or delete that file, then try again.`, 'failed');
      }
      const checked = WorkspaceSettings.safeParse(change(withDefaults(raw.kind === 'ok' ? raw.value : {})));
      if (!checked.success) throw new Error(`Invalid workspace setting ${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''}`);
      await writeFileAtomic(this.file, `${JSON.stringify(checked.data, null, 2)}\n`);
      return checked.data;
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async readRaw(): Promise<Raw> {
    let text: string;
    try {
      const [file, root] = await Promise.all([realPathOf(this.file), realPathOf(this.workspaceRoot)]);
      if (!isWithin(file.real, root.real)) return { kind: 'damaged', reason: 'a link leads it outside the workspace' };
      text = await readFile(file.real, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      if (error instanceof DanglingLinkError) return { kind: 'damaged', reason: 'a link to something that does not exist' };
      return { kind: 'damaged', reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}` };
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'damaged', reason: 'not a JSON object' };
      return { kind: 'ok', value: value as Record<string, unknown> };
    } catch {
      return { kind: 'damaged', reason: 'not valid JSON' };
    }
  }
}

/** Each known setting checked on its own; a bad one falls back to its default. */
function withDefaults(raw: Record<string, unknown>): WorkspaceSettings {
  const settings: Record<string, unknown> = { ...raw };
  for (const [key, schema] of Object.entries(settingsSchema)) {
    const parsed = schema.safeParse(raw[key]);
    settings[key] = parsed.success ? parsed.data : schema.parse(undefined);
  }
  return WorkspaceSettings.parse(settings);
}
