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
});
