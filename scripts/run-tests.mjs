// `npm test`: builds the app, runs the Vitest suites (unit, integration, type-level) and the
// Playwright end-to-end suite, then prints one closing line with the totals of both.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vitestJson = path.join(root, '.vitest-results.json');
const playwrightJson = path.join(root, '.playwright-results.json');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

function vitestCounts() {
  if (!existsSync(vitestJson)) return null;
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0), skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts() {
  if (!existsSync(playwrightJson)) return null;
  const { stats } = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const statuses = [];
statuses.push(run('build', process.execPath, [path.join(root, 'scripts', 'build.mjs')]));
if (statuses[0] === 0) {
  statuses.push(run('unit, integration and type tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]));
  statuses.push(run('end-to-end tests (playwright, Chromium)', bin('playwright'), ['test']));
}

const counts = [vitestCounts(), playwrightCounts()].filter(Boolean);
const total = counts.reduce((sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
const failedSteps = statuses.filter((s) => s !== 0).length;
if (failedSteps > 0 && total.failed === 0) total.failed = failedSteps;
console.log('');
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(failedSteps > 0 ? 1 : 0);
