import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test (and the CLI / web bridge processes it starts, which inherit the environment) keeps the key files of
// its encrypted databases in a temporary folder, never in the user's profile.
process.env.JISR_KEY_DIR ??= mkdtempSync(join(tmpdir(), 'jisr-keys-'));
