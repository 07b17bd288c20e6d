// `npm test`'s first part: the type check, the linter and the renderer's build, run side by side (each is mostly one
// thread; on CI's 2 cores, one after the other they took about a minute and a half of the 20-minute budget, side by
// side about the longest of them). Each one's output is printed whole when it ends, in a block of its own; the script
// fails if any of them failed, after all three have ended. `npm run typecheck`, `npm run lint` and
// `npm run build:renderer` still run each alone.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = (pkg, rel) => join(dirname(require.resolve(`${pkg}/package.json`)), rel);

const jobs = [
  { name: 'typecheck (tsc)', args: [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint (eslint)', args: [bin('eslint', 'bin/eslint.js'), '.'] },
  { name: 'renderer build (vite)', args: [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn'] },
];

const run = ({ name, args }) =>
  new Promise((resolve) => {
    const t0 = Date.now();
    const out = [];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (e) => out.push(Buffer.from(String(e))));
    child.on('close', (code) => {
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const text = Buffer.concat(out).toString().trimEnd();
      process.stdout.write(`\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${secs} s\n${text ? `${text}\n` : ''}`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(jobs.map(run));
if (results.some((ok) => !ok)) process.exit(1);
