import path from 'node:path';
import type { EventSink, HostKind } from '../../src-shared/api';
import { defaultWorkerScript, TrainingService } from '../training/trainingService';
import { BlockLibrary } from '../files/blockLibrary';
import { RunStore } from '../runs/runStore';
import { RecoveryStore } from '../files/recovery';
import { PathGuard } from '../files/pathGuard';
import { PickedPaths } from '../files/pickedPaths';
import { SettingsStore } from '../files/settings';
import { defaultWorkspaceDir, Workspace } from '../files/workspace';
import { findAppRoot } from '../paths';

/** Native file dialogs; only the Electron host has them. */
export interface NativeDialogs {
  pickOpen(): Promise<string | null>;
  pickSave(suggestedName: string): Promise<string | null>;
  /** Any file (the Python interpreter), with the dialog's title. */
  pickFile(title: string): Promise<string | null>;
}

/** Everything the API handlers act on, built once per host. */
export interface HandlerContext {
  host: HostKind;
  workspace: Workspace;
  /** Where every path from a client is checked: links resolved, kept to the workspace and picked files. */
  guard: PathGuard;
  /** The workspace's settings file (.netwright/settings.json). */
  settings: SettingsStore;
  recovery: RecoveryStore;
  blocks: BlockLibrary;
  /** Training runs recorded in the workspace. */
  runs: RunStore;
  dialogs: NativeDialogs | null;
  /** Files outside the workspace the user picked in a native dialog, remembered in the settings. */
  picked: PickedPaths;
  /** Pushes events to the renderer; each host connects its own (WebSocket broadcast, webContents.send). */
  events: { emit: EventSink };
  /** Created on first use: the worker script must be built. */
  training(): TrainingService;
}

export function createHandlerContext(host: HostKind, options: { workspaceDir?: string; dialogs?: NativeDialogs; mainDir?: string } = {}): HandlerContext {
  const root = options.workspaceDir ?? defaultWorkspaceDir();
  const settings = new SettingsStore(root);
  const picked = new PickedPaths(settings);
  // In Electron the user may open or save anywhere through the native dialog; the web host stays in its
  // folder, plus the files once picked in the desktop app (they are remembered in the workspace).
  const guard = new PathGuard(root, {
    allowedRoots: () => picked.roots(),
    outsideHint: options.dialogs
      ? 'Keep files inside the workspace folder, or choose them with Open or Save As.'
      : 'Keep files inside the workspace folder.',
  });
  const workspace = new Workspace(root, guard);
  const events: { emit: EventSink } = { emit: () => undefined };
  const runs = new RunStore(path.join(root, 'runs'));
  let training: TrainingService | null = null;
  return {
    host,
    workspace,
    guard,
    settings,
    events,
    runs,
    training() {
      training ??= new TrainingService(
        defaultWorkerScript(options.mainDir ?? path.join(findAppRoot(process.cwd()), 'dist', 'main')),
        (runId, event) => events.emit('train.event', { runId, event }),
        runs,
      );
      return training;
    },
    recovery: new RecoveryStore(path.join(workspace.internalDir, 'recovery')),
    blocks: new BlockLibrary(path.join(workspace.internalDir, 'blocks')),
    dialogs: options.dialogs ?? null,
    picked,
  };
}
