import { stat } from 'node:fs/promises';

/** What the user reads when a run's folder disappears while it trains. */
export const RUN_FOLDER_GONE =
  "The run's folder was moved to the trash or deleted while it trained, so training stopped (going on would recreate the folder without its run.json). Restore the run from the trash to keep what it recorded.";

/** Throws before anything is written into a run folder that is no longer there (writes would recreate it). */
export async function requireRunFolder(runDir: string): Promise<void> {
  if (!(await stat(runDir).catch(() => null))?.isDirectory()) throw new Error(RUN_FOLDER_GONE);
}
