import { z } from 'zod';

/**
 * A run's id: the name of its folder in the runs folder, made by the runs store from the start time and
 * a random suffix. Every channel, the store and the CLI check ids with this one rule, so no id can name a
 * path outside the runs folder ('..', '/').
 *
 * @example
 * RunId.parse('2026-11-24T10-00-00-000Z-a1b2c3'); // ok
 * isRunId('../secrets'); // false
 */
export const RUN_ID_RULE = "a run id is 1 to 100 letters, digits, '-' and '_'";

export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, `Not a run id: ${RUN_ID_RULE}.`);
export type RunId = z.infer<typeof RunId>;

export function isRunId(value: string): boolean {
  return RunId.safeParse(value).success;
}
