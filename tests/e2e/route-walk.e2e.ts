import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../src-main/core/seed/seed';
import '../../src-main/core/seed/seeders';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

// Issue 15: walks every route in both languages, with the main dialogs and error states, and fails on anything
// internal in the rendered text (a raw i18n key, {{…}}, a camelCase or snake_case identifier, a method name,
// a UUID, an English word); axe-core runs on each (0 serious or critical violations).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = '/tmp/ui';

/** Words of English that must not reach a person (French shares none of them). */
const W = (words: string) => new RegExp(`(?<![\\p{L}\\p{N}_])(${words})(?![\\p{L}\\p{N}_])`, 'iu');
const ENGLISH = W('the|and|of|is|not|error|invalid|failed|undefined|null|NaN|true|false|loading|submit|cancel|delete|search|next|previous|download|upload|settings|user|users|password|toggle|required|expected|received|object|string|number|files?|with|from|range|hash|keys?|changes?|unknown|name|close|anonymous|system');
const CHECKS: [string, RegExp][] = [
  ['{{', /\{\{|\}\}/],
  ['uuid', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['method or i18n key', /(?<![\p{L}])[a-z][a-zA-Z]*\.[a-z][a-zA-Z_]*[A-Z_][a-zA-Z_]*(?![\p{L}])|(?<![\p{L}])[a-z]+\.[a-z]+\.[a-z]+(?![\p{L}])/u],
  ['camelCase', /(?<![\p{L}])[a-z]+[A-Z][a-zA-Z]*(?![\p{L}])/u],
  ['snake_case', /(?<![\p{L}])[a-z]+_[a-z0-9_]+(?![\p{L}])/u],
  ['English', ENGLISH],
];

/** Text a person sees or hears: the body's text, options, placeholders, titles and accessible labels. */
async function visibleText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script,style,[aria-hidden="true"]')) continue;
      const t = n.textContent?.trim();
      if (t) out.push(t);
    }
    for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],input[type="button"],input[type="submit"]')) {
      for (const a of ['placeholder', 'title', 'aria-label', 'value']) {
        if (a === 'value' && !(el instanceof HTMLInputElement && (el.type === 'button' || el.type === 'submit'))) continue;
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    return out;
  });
}

/** Values typed by people or made by the seed (names, addresses, file numbers) are not the interface's words. */
const DATA = /^(ERR|OUA|MID|TIN|ZAG|REG)-\d{4}-\d+$|^[A-Z]{1,2}\d{4,}$|^\+?\d[\d .\-/]*$/;

async function problems(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const t of await visibleText(page)) {
    if (DATA.test(t)) continue;
    for (const [what, re] of CHECKS) {
      const m = re.exec(t);
      if (m) found.push(`${where}: ${what} «${m[0]}» in «${t.slice(0, 120)}»`);
    }
  }
  return found;
}

async function axe(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const v = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; any: { message: string }[] }[] }[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id} (${x.impact}) ${x.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} [${n.any[0]?.message ?? ''}]`).join(' | ')}`);
  });
  return v.map((x) => `${where}: ${x}`);
}

describe('route walk: nothing internal on any screen, accessible, in both languages', () => {
  let app: E2eApp;
  let ids: { applicant: string; cohort: string | null; session: string | null };
  beforeAll(async () => {
    app = await startApp();
    await setupOfficeCore(app.core, 'errachidia');
    await seedDatabase(app.core, { applicants: 60, office: 'errachidia', seed: 11 });
    const q = (sql: string) => (app.core.sqlite.prepare(sql).get() as { id: string } | undefined)?.id ?? null;
    ids = {
      applicant: q('SELECT id FROM applicants ORDER BY created_at LIMIT 1')!,
      cohort: q('SELECT id FROM cohorts LIMIT 1'),
      session: q('SELECT id FROM training_sessions LIMIT 1'),
    };
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  for (const lang of ['ar', 'fr'] as const) {
    it(`every route in ${lang}`, async () => {
      const page = await app.open({ viewport: { width: 1366, height: 768 } });
      const found: string[] = [];
      const a11y: string[] = [];
      const look = async (where: string, wait?: string) => {
        if (wait) await page.getByTestId(wait).first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await page.waitForTimeout(150);
        found.push(...(await problems(page, where)));
        a11y.push(...(await axe(page, where)));
        await page.screenshot({ path: `${SHOTS}/walk-${lang}-${where.replace(/[^a-z0-9]+/gi, '_')}.png` });
      };
      const login = new LoginPageObject(page);
      await login.waitVisible();
      if (lang === 'fr') await page.getByTestId('language-switch').getByText('Français', { exact: true }).click();
      await look('login');
      // Error state: a wrong password.
      await login.login('admin', 'wrong-password-1');
      await login.error().waitFor();
      await look('login-error');
      await login.login('admin', 'admin-password-1');
      const shell = new ShellPageObject(page);
      await shell.waitVisible();
      if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);

      const routes: [string, string | undefined][] = [
        ['applicants', 'applicant-search'],
        ['applicants/new', 'consent-section'],
        ['applicants/import', 'import-card'],
        [`applicants/${ids.applicant}`, 'applicant-page'],
        [`applicants/${ids.applicant}/edit`, undefined],
        ['sessions', undefined],
        ['sessions/cohorts', undefined],
        ['sessions/organisations', undefined],
        ['sessions/settings', undefined],
        ...(ids.cohort ? ([[`sessions/cohort/${ids.cohort}`, undefined]] as [string, undefined][]) : []),
        ...(ids.session ? ([[`sessions/session/${ids.session}`, undefined]] as [string, undefined][]) : []),
        [`sessions/applicant/${ids.applicant}`, undefined],
        ['attestations', undefined],
        ['reports', 'report-period'],
        ['exchange', undefined],
        ['audit', undefined],
        ['backups', undefined],
        ['privacy', undefined],
        ['settings', undefined],
        ['account', 'account-logins'],
      ];
      for (const [route, wait] of routes) {
        await page.evaluate((r) => (window.location.hash = `#/${r}`), route);
        await look(route.replace(ids.applicant, 'ID').replace(ids.cohort ?? '§', 'ID').replace(ids.session ?? '§', 'ID'), wait);
      }
      // Error states: the registration form sent empty; a status change dialog. The date fields' calendars open
      // (days, months, decades) and the report period picker on each kind.
      await page.evaluate(() => (window.location.hash = '#/applicants/new'));
      await page.getByTestId('consent-section').waitFor();
      await page.getByTestId('consent-given').check();
      await page.getByTestId('applicant-save').click();
      await page.waitForTimeout(600);
      await look('applicants-new-errors');
      await page.getByTestId('f-birthDate').click();
      await page.locator('[data-dates-dropdown]').waitFor();
      await look('date-picker-decades');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('[data-dates-dropdown]'));
      await page.getByTestId('consent-date').click();
      await page.locator('[data-dates-dropdown]').waitFor();
      await look('date-picker-days');
      await page.keyboard.press('Escape');
      await page.evaluate((id) => (window.location.hash = `#/applicants/${id}`), ids.applicant);
      await page.getByTestId('status-change').click();
      await page.getByTestId('status-dialog').waitFor();
      await look('status-dialog');
      await page.getByTestId('status-date').click();
      await page.locator('[data-dates-dropdown]').waitFor();
      await look('status-dialog-date-picker');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      // The enrolment search over every file: those who cannot be enrolled say why (issue 15).
      if (ids.cohort) {
        await page.evaluate((id) => (window.location.hash = `#/sessions/cohort/${id}`), ids.cohort);
        await page.getByTestId('enrol-search-go').click();
        await look('cohort-enrol-search', 'enrol-found');
      }
      await page.evaluate(() => (window.location.hash = '#/reports'));
      for (const kind of ['quarter', 'year', 'month']) {
        await page.getByTestId('period-kind').locator(`label[for$="-${kind}"]`).click();
        await page.getByTestId('report-show').click();
        await look(`reports-period-${kind}`, 'dashboard-totals');
      }

      const unique = [...new Set(found)];
      const a11yUnique = [...new Set(a11y)];
      if (unique.length) console.error(unique.join('\n'));
      if (a11yUnique.length) console.error(a11yUnique.join('\n'));
      expect(unique).toEqual([]);
      expect(a11yUnique).toEqual([]);
      // Some twenty routes, dialogs, calendars and periods, each with axe: longer than the default on a busy machine.
    }, 360_000);
  }
});
