import path from 'node:path';
import type { HostKind } from '../../src-shared/api';
import { BlockLibrary } from '../files/blockLibrary';
import { RecoveryStore } from '../files/recovery';
import { defaultWorkspaceDir, Workspace } from '../files/workspace';

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
  dialogs: NativeDialogs | null;
  /** Files outside the workspace the user picked in a native dialog this session. */
  pickedPaths: Set<string>;
}

export function createHandlerContext(host: HostKind, options: { workspaceDir?: string; dialogs?: NativeDialogs } = {}): HandlerContext {
  const pickedPaths = new Set<string>();
  const root = options.workspaceDir ?? defaultWorkspaceDir();
  // In Electron the user may open or save anywhere through the native dialog; the web host stays in its folder.
  const workspace = new Workspace(root, (absolute) => pickedPaths.has(absolute));
  return {
    host,
    workspace,
    recovery: new RecoveryStore(path.join(workspace.internalDir, 'recovery')),
    blocks: new BlockLibrary(path.join(workspace.internalDir, 'blocks')),
    dialogs: options.dialogs ?? null,
    pickedPaths,
  };
}
