import type { Page } from 'playwright-core';

/** The training section: cohorts, a cohort's page, a session's checklist, a beneficiary's hours. */
export class SessionsPageObject {
  constructor(readonly page: Page) {}
  async openTab(tab: 'calendar' | 'cohorts' | 'organisations' | 'settings') {
    await this.page.getByTestId(`tab-${tab}`).click();
  }
  async addOrganisation(o: { kind: string; nameAr: string; nameFr: string }) {
    await this.page.getByTestId('org-kind').selectOption(o.kind);
    await this.page.getByTestId('org-nameAr').fill(o.nameAr);
    await this.page.getByTestId('org-nameFr').fill(o.nameFr);
    await this.page.getByTestId('org-create').click();
    await this.page.getByTestId('orgs-table').getByText(o.nameAr).waitFor();
  }
  async createCohort(c: { name: string; startDate: string; place: string }) {
    await this.page.getByTestId('cohort-name').fill(c.name);
    await this.page.getByTestId('cohort-start').fill(c.startDate);
    await this.page.getByTestId('cohort-place').fill(c.place);
    await this.page.getByTestId('cohort-create').click();
    await this.page.getByTestId('cohort-title').waitFor();
  }
  async enrol(fileNos: string[], date: string) {
    await this.page.getByTestId('enrol-date').fill(date);
    for (const f of fileNos) {
      await this.page.getByTestId('enrol-search').fill(f);
      await this.page.getByTestId('enrol-search-go').click();
      await this.page.getByTestId(`enrol-pick-${f}`).check();
    }
    await this.page.getByTestId('enrol-submit').click();
  }
  async addSession(s: { date: string; start: string; end: string; topic: string }) {
    await this.page.getByTestId('session-date').fill(s.date);
    await this.page.getByTestId('session-topic').selectOption(s.topic);
    await this.page.getByTestId('session-start').fill(s.start);
    await this.page.getByTestId('session-end').fill(s.end);
    await this.page.getByTestId('session-create').click();
    await this.page.getByTestId('checklist').waitFor();
  }
  async mark(fileNo: string, status: 'present' | 'absent' | 'excused') {
    // Mantine hides the radio; its label is what the user clicks.
    await this.page.getByTestId(`mark-${fileNo}`).locator(`label[for$="-${status}"]`).click();
  }
  /** On her training page: an individual mentoring session. */
  async recordMentoring(m: { date: string; start: string; end: string; topic: string; notes: string; nextSteps: string }) {
    await this.page.getByTestId('mentoring-date').fill(m.date);
    await this.page.getByTestId('mentoring-topic').selectOption(m.topic);
    await this.page.getByTestId('mentoring-start').fill(m.start);
    await this.page.getByTestId('mentoring-end').fill(m.end);
    await this.page.getByTestId('mentoring-notes').fill(m.notes);
    await this.page.getByTestId('mentoring-next').fill(m.nextSteps);
    await this.page.getByTestId('mentoring-save').click();
  }
  /** Office head, settings tab: the attestation criteria. */
  async setCriteria(c: { minHours?: number; minRatePercent?: number }) {
    if (c.minHours !== undefined) await this.page.getByTestId('criteria-hours').fill(String(c.minHours));
    if (c.minRatePercent !== undefined) await this.page.getByTestId('criteria-rate').fill(String(c.minRatePercent));
    await this.page.getByTestId('criteria-save').click();
  }
}
