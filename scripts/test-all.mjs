// `npm test`'s second part: the unit project and the e2e project side by side, in two vitest processes.
// One vitest run ran the unit files (one worker) and then the e2e files (one at a time): on CI's 2 cores the machine
// was about 40 % idle and the suite took 18 minutes of a 20-minute budget. Here the e2e files run as before, one at a
// time, their output shown live; the unit files run at the same time with a lower scheduling priority (so Chromium
// and the app under test keep their core and the e2e's "within 2 seconds" checks keep their meaning), their output
// printed whole when they end. The script fails if either failed, after both ended.
// `npm run test:unit` and `npm run test:e2e` still run each alone.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setPriority } from 'node:os';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

function run(project, { live, lowPriority }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const out = [];
    const child = spawn(process.execPath, [vitest, 'run', '--project', project], {
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
    });
    if (lowPriority) {
      try {
        setPriority(child.pid, 10);
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
      if (!live) process.stdout.write(`\n══ ${project} project (ran beside the e2e) ══\n${Buffer.concat(out).toString()}`);
      process.stdout.write(`\n══ ${project} project: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${secs} s ══\n`);
      resolve(code === 0);
    });
  });
}

const [e2e, unit] = await Promise.all([run('e2e', { live: true }), run('unit', { live: false, lowPriority: true })]);
if (!e2e || !unit) process.exit(1);
