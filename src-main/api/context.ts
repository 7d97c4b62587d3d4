import path from 'node:path';
import type { EventSink, HostKind } from '../../src-shared/api';
import { defaultWorkerScript, TrainingService } from '../training/trainingService';
import { BlockLibrary } from '../files/blockLibrary';
import { RunStore } from '../runs/runStore';
import { RecoveryStore } from '../files/recovery';
import { defaultWorkspaceDir, Workspace } from '../files/workspace';
import { findAppRoot } from '../paths';

/** Native file dialogs; only the Electron host has them. */
export interface NativeDialogs {
  pickOpen(): Promise<string | null>;
  pickSave(suggestedName: string): Promise<string | null>;
}

/** Everything the API handlers act on, built once per host. */
export interface HandlerContext {
  host: HostKind;
  workspace: Workspace;
  recovery: RecoveryStore;
  blocks: BlockLibrary;
  /** Training runs recorded in the workspace. */
  runs: RunStore;
  dialogs: NativeDialogs | null;
  /** Files outside the workspace the user picked in a native dialog this session. */
  pickedPaths: Set<string>;
  /** Pushes events to the renderer; each host connects its own (WebSocket broadcast, webContents.send). */
  events: { emit: EventSink };
  /** Created on first use: the worker script must be built. */
  training(): TrainingService;
}

export function createHandlerContext(host: HostKind, options: { workspaceDir?: string; dialogs?: NativeDialogs; mainDir?: string } = {}): HandlerContext {
  const pickedPaths = new Set<string>();
  const root = options.workspaceDir ?? defaultWorkspaceDir();
  // In Electron the user may open or save anywhere through the native dialog; the web host stays in its folder.
  const workspace = new Workspace(root, (absolute) => pickedPaths.has(absolute));
  const events: { emit: EventSink } = { emit: () => undefined };
  const runs = new RunStore(path.join(root, 'runs'));
  let training: TrainingService | null = null;
  return {
    host,
    workspace,
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
    pickedPaths,
  };
}
