import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, type PythonSettings } from '../../src-shared/api';
import type { SettingsStore } from '../files/settings';
import { configuredPythonPath, pythonProbe, setPythonProbe } from '../training/backendProbe';
import type { PythonCandidate } from '../training/pytorch/probe';
import { runtimeLabel } from '../training/pytorch/rungs';

/**
 * The Python setting of the PyTorch engine: read from the workspace settings before the backends are
 * probed, changed from the app (the search for PyTorch then starts again).
 */

/** The workspace whose setting the probe follows now (a process serves one workspace; tests make several). */
let appliedFor: SettingsStore | null = null;

/** Makes the probe use the workspace's Python setting (once per workspace, and after every change). */
export async function applyPythonSetting(settings: SettingsStore): Promise<void> {
  if (appliedFor === settings) return;
  const configured = (await settings.get('pythonPath')) ?? undefined;
  appliedFor = settings;
  if (configured !== configuredPythonPath()) setPythonProbe(null, configured);
}

function view(candidate: PythonCandidate): PythonSettings['candidates'][number] {
  return { command: candidate.command, source: candidate.source, usable: !candidate.problem, detail: candidate.problem ?? runtimeLabel(candidate) };
}

export async function pythonSettings(settings: SettingsStore): Promise<PythonSettings> {
  await applyPythonSetting(settings);
  const probe = await pythonProbe();
  return {
    path: (await settings.get('pythonPath')) ?? null,
    chosen: probe.chosen ? (probe.chosen.executable ?? probe.chosen.command) : null,
    candidates: probe.tried.map(view),
  };
}

/** Sets (or clears) the interpreter after checking that it is an absolute path to a file. */
export async function setPythonSetting(settings: SettingsStore, chosen: string | null): Promise<PythonSettings> {
  const value = chosen === null || chosen === '' ? null : chosen;
  if (value !== null) {
    if (!path.isAbsolute(value)) throw new ApiError(`Give the interpreter's full path (for example /usr/bin/python3), not '${value}'.`, 'invalid-request');
    const info = await stat(value).catch(() => null);
    if (!info?.isFile()) throw new ApiError(`There is no file '${value}'. Choose the Python interpreter itself (for example /usr/bin/python3).`, 'invalid-request');
  }
  await settings.set('pythonPath', value);
  setPythonProbe(null, value ?? undefined);
  appliedFor = settings;
  return pythonSettings(settings);
}
