import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { setupOffice, userToken } from '../helpers/core';

/**
 * Keyboard only (issue 15): the main journeys walked with Tab, Shift+Tab, Enter, Space, Escape and the arrows —
 * login, the navigation, the registration form filled and saved, a dialog opened and closed with Escape and the
 * focus given back — and at every step the focused control shows a visible focus (outline or ring), every control
 * of the form is reached by Tab, every field has a label tied to it.
 */

/** What has the focus: its test id (or its own or its field's), whether the focus is visible, and a description. */
async function focused(page: Page): Promise<{ id: string | null; visible: boolean; what: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: null, visible: false, what: 'body' };
    const ring = (e: Element | null) => {
      if (!e) return false;
      const cs = getComputedStyle(e);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
      return outline || shadow;
    };
    // Mantine draws the ring of a hidden radio (segmented control) on its label, of a password on the field's box.
    const visible = ring(el) || ring(el.nextElementSibling) || ring(el.parentElement) || (el.id ? ring(document.querySelector(`label[for="${el.id}"]`)) : false);
    const id = el.getAttribute('data-testid') ?? el.closest('[data-testid]')?.getAttribute('data-testid') ?? null;
    return { id, visible, what: `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}` };
  });
}

describe('keyboard only, in Chromium', () => {
  let app: E2eApp;
  let page: Page;
  const noRing: string[] = [];

  /** Tab (or Shift+Tab) until the control with this test id has the focus; every control passed must show its focus. */
  async function tabTo(id: string, opts: { back?: boolean; max?: number } = {}) {
    for (let i = 0; i < (opts.max ?? 80); i++) {
      await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
      const f = await focused(page);
      if (f.id !== null && !f.visible) noRing.push(f.what);
      if (f.id === id) return;
    }
    throw new Error(`${id} not reached by ${opts.back ? 'Shift+Tab' : 'Tab'}`);
  }

  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'agent.kb', 'agent');
    page = await app.open({ viewport: { width: 1366, height: 768 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('logs in, moves through the navigation, registers a woman, opens and closes a dialog, by keyboard only', async () => {
    await page.getByTestId('login-form').waitFor();
    // Login: Tab to the user name, type, Tab to the password, Enter.
    await tabTo('login-username');
    await page.keyboard.type('agent.kb');
    await tabTo('login-password');
    await page.keyboard.type('agent.kb-pass-123');
    await page.keyboard.press('Enter');
    await page.getByTestId('logout').waitFor();

    // Navigation: the sections by Tab, and back with Shift+Tab; Enter opens one.
    await tabTo('nav-settings');
    await tabTo('nav-sessions', { back: true });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/sessions'));
    await tabTo('nav-applicants', { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('applicant-search').waitFor();

    // The registration form: open it, tick the consent with Space, fill every field by typing.
    await tabTo('applicant-new');
    await page.keyboard.press('Enter');
    await page.getByTestId('consent-section').waitFor();
    await tabTo('consent-given');
    await page.keyboard.press('Space');
    expect(await page.getByTestId('consent-given').isChecked()).toBe(true);
    const type = async (id: string, text: string) => {
      await tabTo(id);
      await page.keyboard.type(text);
    };
    await type('f-cin', 'KB123456');
    await type('f-firstNameAr', 'سعاد');
    await type('f-lastNameAr', 'الكيبورد');
    await type('f-birthDate', '12/05/1992');
    await type('f-firstNameLat', 'Souad');
    await type('f-lastNameLat', 'Keyboard');
    await tabTo('f-communeCode');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('f-communeCode').inputValue()).not.toBe('');
    await tabTo('f-isProjectHolder');
    await page.keyboard.press('Space');

    // Every control of the form is reached by Tab (a radio group counts once: the arrows move inside it).
    const reached = new Set<string>();
    const all: string[] = await page.evaluate(() => {
      const sel = 'a[href], button, input, select, textarea, [tabindex]';
      const out: string[] = [];
      let n = 0;
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        const key = `kb-${n++}`;
        if (el.tabIndex < 0 || (el as HTMLInputElement).disabled || el.closest('[inert]') || el.getClientRects().length === 0) continue;
        if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
        el.setAttribute('data-kb', el instanceof HTMLInputElement && el.type === 'radio' ? `radio:${el.name}` : key);
        out.push(el.getAttribute('data-kb')!);
      }
      return [...new Set(out)];
    });
    for (let i = 0; i < all.length * 2 + 10 && reached.size < all.length; i++) {
      await page.keyboard.press('Tab');
      const kb = await page.evaluate(() => document.activeElement?.getAttribute('data-kb') ?? null);
      if (kb) reached.add(kb);
    }
    const missed = await page.evaluate((ids) => ids.map((k) => document.querySelector(`[data-kb="${k}"]`)?.outerHTML.slice(0, 120)), all.filter((k) => !reached.has(k)));
    expect(missed).toEqual([]);

    // Every field of the form has a label tied to it (label[for], a wrapping label, aria-label or aria-labelledby).
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('[data-testid="applicant-form"] input, [data-testid="applicant-form"] select, [data-testid="applicant-form"] textarea')]
        .filter((el) => el.type !== 'hidden' && !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);

    // Save with Enter on the button; the new file opens.
    await tabTo('applicant-save');
    await page.keyboard.press('Enter');
    await page.getByTestId('applicant-page').waitFor();
    await app.screenshot(page, 'keyboard-file');

    // A dialog: opened with Enter, the focus inside it, closed with Escape, the focus back on the button that opened it.
    await tabTo('status-change');
    await page.keyboard.press('Enter');
    await page.getByTestId('status-dialog').waitFor();
    await page.waitForFunction(() => !!document.activeElement?.closest('[role="dialog"]'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await app.screenshot(page, 'keyboard-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('status-dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'status-change');

    expect([...new Set(noRing)]).toEqual([]);
  });
});
