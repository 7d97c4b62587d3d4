import { z } from 'zod';

/** One interpreter Netwright tried for the PyTorch engine, as the settings show it. */
export const PythonCandidateView = z.object({
  command: z.string(),
  /** Where it came from: the NETWRIGHT_PYTHON variable, the workspace settings, or PATH. */
  source: z.enum(['NETWRIGHT_PYTHON', 'settings', 'PATH']),
  usable: z.boolean(),
  /** "PyTorch 2.5.1 · Python 3.12.3 · /usr/bin/python3", or why it can't train. */
  detail: z.string(),
});
export type PythonCandidateView = z.infer<typeof PythonCandidateView>;

/** The Python setting and what the search for PyTorch found with it. */
export const PythonSettings = z.object({
  /** The interpreter set in the workspace settings, or null. */
  path: z.string().nullable(),
  /** The interpreter runs use (the first that can train), or null when none can. */
  chosen: z.string().nullable(),
  candidates: z.array(PythonCandidateView),
});
export type PythonSettings = z.infer<typeof PythonSettings>;

/** Settings channels: the Python interpreter behind the PyTorch engine. */
export const settingsChannels = {
  'settings.python': {
    request: z.object({}).strict(),
    response: PythonSettings,
  },
  /** Sets (or clears, with null) the interpreter and searches for PyTorch again. */
  'settings.setPython': {
    request: z.object({ path: z.string().trim().max(4096).nullable() }).strict(),
    response: PythonSettings,
  },
  /** The desktop app's Browse button: a native file dialog. */
  'settings.browsePython': {
    request: z.object({}).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
} as const;
