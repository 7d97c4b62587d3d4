import { z } from 'zod';

/** The training backends Netwright knows, fastest first: the order of the backend ladder. */
export const BACKEND_IDS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export const BackendId = z.enum(BACKEND_IDS);
export type BackendId = z.infer<typeof BackendId>;

/** What the backend process found when it probed one rung of the ladder. */
export const BackendProbe = z.object({
  id: BackendId,
  label: z.string(),
  usable: z.boolean(),
  /** Why it is or isn't usable, in words a user can act on. */
  reason: z.string(),
  /** The device it would run on, when usable (e.g. "CPU (2 threads)", "NVIDIA H100"). */
  device: z.string().optional(),
});
export type BackendProbe = z.infer<typeof BackendProbe>;

export const HostKind = z.enum(['electron', 'web']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.literal('Netwright'),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  host: HostKind,
  /** Every rung of the ladder, in ladder order. */
  backends: z.array(BackendProbe),
  /** Where documents, recovery files and runs live. */
  workspaceDir: z.string(),
  /** Electron offers native open/save dialogs; the web host an in-app file browser. */
  nativeDialogs: z.boolean(),
  /** The backend a new run would use unless the user pins another; null when none works. */
  preferredBackend: BackendId.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;
