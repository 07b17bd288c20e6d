#!/usr/bin/env node
// `npm run cli -- …` and `npm run web -- …`: run the built command line or web bridge (dist-cli/, scripts/build-cli.mjs)
// instead of compiling TypeScript at every start with tsx (about 3 s of CPU per call; issue 19). The bundle is made
// again first when it is missing or older than a source under src-main/ (or the build script): what runs is always
// the code of the working tree. `npx tsx src-main/cli/main.ts …` still runs the sources directly.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const which = process.argv[2];
if (which !== 'cli' && which !== 'web') {
  process.stderr.write('usage: node scripts/launch.mjs cli|web [arguments]\n');
  process.exit(2);
}
// The entry reads its arguments from process.argv.slice(2), as when run directly.
process.argv.splice(2, 1);

/** The newest modification time of the files under a folder (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const out = join(root, 'dist-cli', `${which}.mjs`);
const sources = Math.max(newest(join(root, 'src-main')), statSync(join(root, 'scripts', 'build-cli.mjs')).mtimeMs);
if (!existsSync(out) || statSync(out).mtimeMs < sources) {
  const { buildCli } = await import('./build-cli.mjs');
  await buildCli({ quiet: true });
}
await import(pathToFileURL(out).href);
