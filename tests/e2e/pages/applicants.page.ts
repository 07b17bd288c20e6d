import type { Page } from 'playwright-core';

export interface ApplicantEntry {
  cin: string;
  firstNameAr?: string;
  lastNameAr?: string;
  firstNameLat?: string;
  lastNameLat?: string;
  birthDate: string;
  phone?: string;
  /** Index of the commune in the select (1 = the first commune). */
  communeIndex?: number;
  projectHolder?: boolean;
}

/** The applicant registry: list, registration form, duplicate panel, the file and its status dialog. */
export class ApplicantsPageObject {
  constructor(readonly page: Page) {}

  async openList() {
    await this.page.getByTestId('nav-applicants').click();
    await this.page.getByTestId('applicant-search').waitFor();
  }
  async openNew() {
    await this.page.getByTestId('applicant-new').click();
    await this.page.getByTestId('consent-section').waitFor();
  }
  async giveConsent() {
    await this.page.getByTestId('consent-given').check();
  }
  async fill(a: ApplicantEntry) {
    const p = this.page;
    await p.getByTestId('f-cin').fill(a.cin);
    await p.getByTestId('f-firstNameAr').fill(a.firstNameAr ?? '');
    await p.getByTestId('f-lastNameAr').fill(a.lastNameAr ?? '');
    await p.getByTestId('f-firstNameLat').fill(a.firstNameLat ?? '');
    await p.getByTestId('f-lastNameLat').fill(a.lastNameLat ?? '');
    await p.getByTestId('f-birthDate').fill(a.birthDate);
    if (a.phone) await p.getByTestId('f-phone').fill(a.phone);
    await p.getByTestId('f-communeCode').selectOption({ index: a.communeIndex ?? 1 });
    if (a.projectHolder ?? true) await p.getByTestId('f-isProjectHolder').check();
  }
  candidates() {
    return this.page.getByTestId('dup-candidate');
  }
  async waitCandidates(n = 1) {
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid="dup-candidate"]').length >= n, n);
  }
  async save() {
    await this.page.getByTestId('applicant-save').click();
  }
  async waitFile() {
    await this.page.getByTestId('applicant-page').waitFor();
    return this.page.getByTestId('applicant-status').getAttribute('data-status');
  }
  async search(q: string) {
    await this.page.getByTestId('applicant-search').fill(q);
  }
  /** Waits until the list shows exactly `n` files for the current query. */
  async waitTotal(n: number) {
    await this.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="applicant-row"]').length === n && !document.querySelector('[data-testid="applicant-total"]')?.textContent?.includes('…'),
      n,
    );
  }
  rows() {
    return this.page.getByTestId('applicant-row');
  }
  async statusMoves(): Promise<string[]> {
    await this.page.getByTestId('status-change').click();
    await this.page.getByTestId('status-dialog').waitFor();
    return this.page.getByTestId('status-to').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  }
  async changeStatus(to: string, opts: { reason?: string; source?: string } = {}) {
    await this.page.getByTestId('status-to').selectOption(to);
    if (opts.source) await this.page.getByTestId('status-source').selectOption(opts.source);
    if (opts.reason !== undefined) await this.page.getByTestId('status-reason').fill(opts.reason);
    await this.page.getByTestId('status-confirm').click();
  }
  async waitStatus(status: string) {
    await this.page.waitForFunction((s) => document.querySelector('[data-testid="applicant-status"]')?.getAttribute('data-status') === s, status);
  }
}
