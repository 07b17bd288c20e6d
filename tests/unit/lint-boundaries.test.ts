import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/core/paths';

/**
 * The layer boundaries of eslint.config.js (issue 18) do fail on a wrong import: each probe below is linted as if
 * it were a file at that place (nothing is written), and must be refused by the rule that names the boundary.
 */
const eslint = new ESLint({ cwd: projectRoot() });
async function rules(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe('lint: layer boundaries', () => {
  it('a renderer feature imports neither app/, another feature nor the core', async () => {
    const f = 'src-renderer/features/applicants/Probe.tsx';
    expect(await rules(f, "import { Shell } from '../../app/Shell';\nexport const x = Shell;\n")).toEqual(['import-x/no-restricted-paths']);
    expect(await rules(f, "import { ReportsPage } from '../reports/ReportsPage';\nexport const x = ReportsPage;\n")).toEqual(['import-x/no-restricted-paths']);
    expect(await rules(f, "import { createCore } from '../../../src-main/core/core';\nexport const x = createCore;\n")).toEqual(['import-x/no-restricted-paths']);
    // What a feature may import.
    expect(await rules(f, "import { can } from '../../lib/permissions';\nimport { contract } from '../../../src-main/shared/api/contract';\nexport const x = [can, contract];\n")).toEqual([]);
  }, 60_000);

  it('src-main/shared imports no Node built-in, core or door; the core no door; only the host imports electron', async () => {
    expect(await rules('src-main/shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await rules('src-main/shared/probe.ts', "import { createCore } from '../core/core';\nexport const x = createCore;\n")).toEqual(['import-x/no-restricted-paths']);
    expect(await rules('src-main/core/probe.ts', "import { runCli } from '../cli/run-cli';\nexport const x = runCli;\n")).toEqual(['import-x/no-restricted-paths']);
    expect(await rules('src-main/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await rules('src-main/host/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
  }, 60_000);

  it('SQL only in repositories: the data API, the sql tag and a raw prepare are refused outside *.repo.ts and repo/', async () => {
    const q = "import { query } from '../db/query';\nexport const byId = query((db, p: { id: string }) => db.selectFrom('cohorts').selectAll().where('id', '=', p.id));\n";
    expect(await rules('src-main/core/sessions/probe.service.ts', q)).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await rules('src-main/core/sessions/probe.service.ts', "import { insertRow, updateRow } from '../db/query';\nexport const x = [insertRow, updateRow];\n")).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await rules('src-main/core/security/probe.ts', "import { sql } from 'kysely';\nexport const x = sql`SELECT 1`;\n")).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(await rules('src-main/cli/commands/probe.ts', "export const f = (s: { prepare(t: string): unknown }) => s.prepare('SELECT id FROM applicants');\n")).toEqual(['no-restricted-syntax']);
    // The repositories (and the data layer itself) hold SQL; a type from Kysely is not SQL.
    expect(await rules('src-main/core/sessions/probe.repo.ts', q)).toEqual([]);
    expect(await rules('src-main/core/exchange/repo/probe.ts', q)).toEqual([]);
    expect(await rules('src-main/core/sessions/probe.service.ts', "import type { Selectable } from 'kysely';\nimport type { ReadQuery } from '../db/query';\nexport type X = Selectable<{ a: string }> | ReadQuery<unknown, unknown>;\n")).toEqual([]);
    // Electron stays refused in the core (the SQL block repeats that rule's options).
    expect(await rules('src-main/core/sessions/probe.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual(['@typescript-eslint/no-restricted-imports']);
  }, 60_000);
});
