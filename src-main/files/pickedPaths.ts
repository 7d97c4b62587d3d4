import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { DanglingLinkError, realPathOf } from './pathGuard';
import { MAX_PICKED_PATHS, type SettingsStore } from './settings';

/**
 * Files the user picked in a native dialog: the one way a path outside the workspace becomes allowed.
 * Kept in the workspace settings (as real paths), so a picked file opens again after a restart and
 * in the web host, which has no dialogs of its own.
 */
export class PickedPaths {
  constructor(private readonly settings: SettingsStore) {}

  /** The allowed roots beyond the workspace, newest first. */
  async roots(): Promise<readonly string[]> {
    return this.settings.get('pickedPaths');
  }

  /** Remembers a path from a native dialog; returns where it really leads. */
  async remember(picked: string): Promise<string> {
    const { real } = await realPathOf(path.resolve(picked)).catch((error: unknown) => {
      if (error instanceof DanglingLinkError) throw new ApiError('The chosen file is a link to something that does not exist; choose another.', 'invalid-request');
      throw error;
    });
    await this.settings.update((current) => ({
      ...current,
      pickedPaths: [real, ...current.pickedPaths.filter((p) => p !== real)].slice(0, MAX_PICKED_PATHS),
    }));
    return real;
  }
}
