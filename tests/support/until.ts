/**
 * Waits until `check()` holds, polling every `everyMs`; throws 'timed out' after `timeoutMs`.
 *
 * @example
 * await until(() => events.some((e) => e.type === 'end'), 60_000);
 */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
