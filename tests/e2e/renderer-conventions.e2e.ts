import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/core/paths';
import { common } from '../../src-renderer/i18n/common';
import { auth } from '../../src-renderer/i18n/auth';
import { settings } from '../../src-renderer/i18n/settings';
import { applicants } from '../../src-renderer/i18n/applicants';
import { sessions } from '../../src-renderer/i18n/sessions';
import { security } from '../../src-renderer/i18n/security';
import { matching } from '../../src-renderer/i18n/matching';
import { recovery } from '../../src-renderer/i18n/recovery';
import { network } from '../../src-renderer/i18n/network';
import { attestations } from '../../src-renderer/i18n/attestations';
import { reports } from '../../src-renderer/i18n/reports';
import { exchange } from '../../src-renderer/i18n/exchange';

/** Static checks of the renderer that the browser journeys cannot see. */
function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('renderer conventions', () => {
  // Every namespace of i18n/index.ts (each feature's strings are one file there, issue 18).
  it.each(Object.entries({ common, auth, settings, applicants, sessions, security, matching, recovery, network, attestations, reports, exchange }))('%s: every Arabic string has a French one and back, none empty', (_name, res) => {
    expect(keys(res.fr).sort()).toEqual(keys(res.ar).sort());
    for (const lang of ['ar', 'fr'] as const) {
      for (const k of keys(res[lang])) {
        const v = k.split('.').reduce<any>((o, p) => o[p], res[lang]);
        expect(typeof v === 'string' && v.trim().length > 0, `${lang}:${k}`).toBe(true);
      }
    }
    // The Arabic side is in Arabic (labels are not left in French by mistake).
    const arabic = keys(res.ar).filter((k) => /[\u0600-\u06FF]/.test(k.split('.').reduce<any>((o, p) => o[p], res.ar)));
    expect(arabic.length / keys(res.ar).length).toBeGreaterThan(0.6);
  });

  it('uses logical CSS only (no left/right margins, paddings, borders, positions or text alignment)', () => {
    const root = join(projectRoot(), 'src-renderer');
    const physical = /\b(margin|padding|border)-(left|right)\b|\btext-align:\s*(left|right)\b|(^|[\s;{])(left|right)\s*:|\b(marginLeft|marginRight|paddingLeft|paddingRight|textAlign:\s*'(left|right)')/m;
    const offenders = files(root)
      .filter((f) => /\.(css|tsx?)$/.test(f))
      .filter((f) => physical.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length + 1));
    expect(offenders).toEqual([]);
  });

  it('registers every feature\'s strings one way: a file in i18n/, listed in i18n/index.ts or i18n/later.ts, never on load', () => {
    const root = join(projectRoot(), 'src-renderer');
    const index = readFileSync(join(root, 'i18n', 'index.ts'), 'utf8');
    // The login screen's namespaces are in index.ts; the others in later.ts, the one chunk index.ts loads with the
    // shell (issue 15: first load), and registers itself (loadLaterStrings).
    const later = readFileSync(join(root, 'i18n', 'later.ts'), 'utf8');
    expect(index).toContain("import('./later')");
    const namespaces = readdirSync(join(root, 'i18n')).filter((f) => f !== 'index.ts' && f !== 'later.ts').map((f) => f.replace(/\.ts$/, ''));
    for (const ns of namespaces) expect(index + later, ns).toMatch(new RegExp(`import \\{ ${ns} \\} from './${ns}'`));
    const onLoad = files(root)
      .filter((f) => /\.tsx?$/.test(f) && readFileSync(f, 'utf8').includes('addResourceBundle'))
      .map((f) => f.slice(root.length + 1));
    expect(onLoad).toEqual(['i18n/index.ts']);
  });

  it('never imports the core, Node built-ins or Electron from the renderer', () => {
    const root = join(projectRoot(), 'src-renderer');
    const bad = /from\s+['"](node:|electron|fs|path|crypto|better-sqlite3|[./]+\/src-main\/core\/|(\.\.\/)+src-main\/core)/;
    const offenders = files(root)
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) => readFileSync(f, 'utf8').split('\n').some((l) => /^\s*import\b/.test(l) && bad.test(l)))
      .map((f) => f.slice(root.length + 1));
    expect(offenders).toEqual([]);
  });
});
