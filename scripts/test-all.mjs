// `npm test`'s second part: the e2e files in two vitest processes and the unit project beside them, in three in all.
// One vitest run ran the unit files (one worker) and then the e2e files (one at a time): on CI's 2 cores the machine
// was about 40 % idle and the suite took 18 minutes of a 20-minute budget. Side by side (e2e one file at a time, unit
// at a lower priority) it took 13 of CPU over 16 minutes of wall time on a quiet machine: the e2e files mostly wait
// (for Chromium, for the app's answers), so they run in two lanes:
// - lane A, normal priority, output shown live: the files whose checks hold a time ("appears within 2 seconds") and
//   about half of the rest;
// - lane B, a little lower priority (5): the other files, printed whole when they end;
// - the unit project at the lowest priority (10), printed whole when it ends.
// The lanes are balanced by each file's duration measured in a CI run (E2E_SECONDS below; a new file counts 15 s).
// The script fails if any failed, after all ended. `JISR_E2E_LANES=1` runs the e2e files in one lane as before.
// `npm run test:unit` and `npm run test:e2e` still run each alone.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setPriority } from 'node:os';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

/** Files whose checks measure a delay: they run in lane A, at normal priority. */
const TIMED = ['live-refresh', 'office-together', 'office-network', 'workstation-client', 'registry-scale'];
/** Seconds each file took in a clean CI run (2 December 2026), to balance the lanes. */
const E2E_SECONDS = {
  foundation: 75, 'route-walk': 64, 'print-pdf': 42, 'verify-page': 33, attestations: 32, matching: 31, exchange: 28, reports: 27,
  'office-network': 24, applicants: 24, 'office-together': 21, 'import-matching': 20, 'language-state': 16, 'registry-scale': 16,
  'key-wizard': 16, 'setup-recovery-sheet': 15, recovery: 15, 'live-refresh': 14, security: 14, account: 13, 'sessions-mentoring': 13,
  sheets: 12, keyboard: 12, sessions: 12, 'workstation-client': 11, 'registry-disability': 11, 'region-dashboard': 10, region: 9,
  'registry-import': 9, 'backup-upload': 8, 'verify-page-region': 8, 'exchange-restart': 8, 'exchange-reminder': 8, 'enrol-history': 8,
  'region-review': 7, roles: 7, 'accounts-unlock': 7, 'time-zone-chromium': 7, 'password-reset': 6, 'bidi-chromium': 5,
  'renderer-conventions': 1,
};

function lanes() {
  const files = readdirSync('tests/e2e').filter((f) => f.endsWith('.e2e.ts')).sort();
  const name = (f) => f.replace(/\.e2e\.ts$/, '');
  const secs = (f) => E2E_SECONDS[name(f)] ?? 15;
  const a = files.filter((f) => TIMED.includes(name(f)));
  const b = [];
  let ta = a.reduce((s, f) => s + secs(f), 0);
  let tb = 0;
  for (const f of files.filter((x) => !TIMED.includes(name(x))).sort((x, y) => secs(y) - secs(x))) {
    if (ta <= tb) {
      a.push(f);
      ta += secs(f);
    } else {
      b.push(f);
      tb += secs(f);
    }
  }
  return [a, b].map((l) => l.map((f) => `tests/e2e/${f}`));
}

function run(label, args, { live, priority }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const out = [];
    const child = spawn(process.execPath, [vitest, 'run', ...args], {
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
    });
    if (priority) {
      try {
        setPriority(child.pid, priority);
      } catch {
        // Not allowed here (some Windows setups): the run goes on at normal priority.
      }
    }
    if (!live) {
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
    }
    child.on('close', (code) => {
      const secs = ((Date.now() - t0) / 1000).toFixed(0);
      if (!live) process.stdout.write(`\n══ ${label} (ran beside the others) ══\n${Buffer.concat(out).toString()}`);
      process.stdout.write(`\n══ ${label}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${secs} s ══\n`);
      resolve(code === 0);
    });
  });
}

const runs = [run('unit project', ['--project', 'unit'], { live: false, priority: 10 })];
if (process.env.JISR_E2E_LANES === '1') runs.push(run('e2e project', ['--project', 'e2e'], { live: true }));
else {
  const [a, b] = lanes();
  runs.push(run('e2e project, lane A', ['--project', 'e2e', ...a], { live: true }));
  runs.push(run('e2e project, lane B', ['--project', 'e2e', ...b], { live: false, priority: 5 }));
}
const ok = await Promise.all(runs);
if (ok.includes(false)) process.exit(1);
