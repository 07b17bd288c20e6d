import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore } from '../helpers/core';
import { AppError } from '../../src-main/shared/errors';
import { translateError } from '../../src-main/shared/i18n/translate-error';
import type { ApplicantInput, ApplicantStatus } from '../../src-main/shared/api/applicants.contract';
import { ENROL_BLOCKS } from '../../src-main/shared/api/sessions.contract';
import { sessions } from '../../src-renderer/i18n/sessions';

// Issue 15: the enrolment search shows every matching file, and says why one cannot be enrolled (the rules
// cohorts.enrol enforces); a file's history names people by their full names, not their user names.

const clock = () => new Date('2026-06-15T09:00:00.000Z');
const CONSENT = { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' } as const;
let n = 0;
const person = (lastNameLat: string, lastNameAr: string): ApplicantInput => {
  n++;
  return {
    cin: `U${String(200000 + n)}`,
    firstNameAr: 'سلمى',
    lastNameAr,
    firstNameLat: 'Salma',
    lastNameLat,
    sex: 'F',
    birthDate: `198${n % 10}-0${1 + (n % 9)}-1${n % 10}`,
    phone: '0612345678',
    communeCode: '08.201.01.01',
    isProjectHolder: true,
    consent: CONSENT,
  } as ApplicantInput;
};

/** The path from registered to `to`, one legal step at a time. */
const PATH: ApplicantStatus[] = ['oriented', 'preselected', 'in_training', 'trained'];

describe('enrolment search over every file, with why not (issue 15)', () => {
  const core = tempCore({ clock });
  let agent = '';
  let cohortId = '';
  const ids: Record<string, { id: string; fileNo: string }> = {};
  beforeAll(async () => {
    const admin = (await setupOffice(core)).token;
    await core.invoke('users.create', { username: 'souad', displayName: 'Souad Idrissi', role: 'agent', password: 'souad-pass-123' }, { token: admin });
    core.sqlite.prepare("UPDATE users SET must_change_password = 0 WHERE username = 'souad'").run();
    agent = (await core.invoke('auth.login', { username: 'souad', password: 'souad-pass-123' })).token;
    const as = { token: agent };
    const org = await core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية الأمل', nameFr: 'Association Al Amal' }, as);
    cohortId = (await core.invoke('cohorts.create', { organisationId: org.id, name: 'Cohorte 1', startDate: '2026-01-05', endDate: '2026-12-30', place: 'Centre' }, as)).id;
    const plan: [string, ApplicantStatus | 'member' | 'closed' | 'dropped_out'][] = [
      ['registered', 'registered'],
      ['oriented', 'oriented'],
      ['preselected', 'preselected'],
      ['training', 'in_training'],
      ['member', 'member'],
      ['dropped', 'dropped_out'],
    ];
    for (const [tag, status] of plan) {
      const r = await core.invoke('applicants.create', person(`Enroltest${tag}`, 'تجربة'), as);
      ids[tag] = { id: r.id, fileNo: r.fileNo };
      const target = status === 'member' ? 'preselected' : status === 'dropped_out' ? 'oriented' : status;
      for (const to of PATH) {
        if (target === 'registered') break;
        await core.invoke('applicants.setStatus', { id: r.id, to }, as);
        if (to === target) break;
      }
      if (status === 'dropped_out') await core.invoke('applicants.setStatus', { id: r.id, to: 'dropped_out', reason: 'Départ de la région' }, as);
      if (status === 'member') await core.invoke('cohorts.enrol', { cohortId, applicantIds: [r.id], date: '2026-02-01', moveToTraining: true }, as);
    }
  });
  afterAll(() => core.dispose());

  it('shows every matching file, each with whether she can be enrolled and why not', async () => {
    const r = await core.invoke('cohorts.enrolSearch', { cohortId, q: 'Enroltest' }, { token: agent });
    const byFile = new Map(r.items.map((i) => [i.fileNo, i]));
    expect(r.items).toHaveLength(6);
    expect(byFile.get(ids.registered.fileNo)).toMatchObject({ block: 'not_preselected', startsTraining: false });
    expect(byFile.get(ids.oriented.fileNo)).toMatchObject({ block: 'not_preselected' });
    expect(byFile.get(ids.preselected.fileNo)).toMatchObject({ block: null, startsTraining: true });
    expect(byFile.get(ids.training.fileNo)).toMatchObject({ block: null, startsTraining: false });
    expect(byFile.get(ids.member.fileNo)).toMatchObject({ block: 'already_member', enrolledAt: '2026-02-01' });
    expect(byFile.get(ids.dropped.fileNo)).toMatchObject({ block: 'dropped_out' });
  });

  it('the backend refuses what the search says cannot be done, with a translated message naming the files', async () => {
    const ok = await core.invoke('cohorts.enrol', { cohortId, applicantIds: [ids.training.id], date: '2026-03-01' }, { token: agent });
    expect(ok.enrolled).toEqual([ids.training.id]);
    for (const tag of ['registered', 'oriented', 'dropped']) {
      let err: AppError | null = null;
      try {
        await core.invoke('cohorts.enrol', { cohortId, applicantIds: [ids[tag].id], date: '2026-03-01' }, { token: agent });
      } catch (e) {
        err = e as AppError;
      }
      expect(err?.code, tag).toBe('session.cohort_status_not_allowed');
      for (const lang of ['ar', 'fr'] as const) {
        const text = translateError({ code: err!.code, params: err!.params }, lang);
        expect(text).toContain(ids[tag].fileNo);
        expect(text).not.toMatch(/\{\{|dropped_out|registered|oriented/);
      }
    }
  });

  it('every reason has its words in Arabic and French', () => {
    for (const b of ENROL_BLOCKS) {
      expect(sessions.ar.cohort.block[b], b).toBeTruthy();
      expect(sessions.fr.cohort.block[b], b).toBeTruthy();
    }
  });

  it("a file's history names people by their full names", async () => {
    const f = await core.invoke('applicants.get', { id: ids.training.id }, { token: agent });
    expect(f.statusHistory.length).toBeGreaterThan(1);
    for (const h of f.statusHistory) expect(h).toMatchObject({ userName: 'souad', personName: 'Souad Idrissi' });
    expect(f.editHistory.length).toBeGreaterThan(0);
    for (const h of f.editHistory) expect(h).toMatchObject({ actorName: 'souad', personName: 'Souad Idrissi' });
    expect(f).toMatchObject({ createdBy: 'souad', createdByName: 'Souad Idrissi' });
  });

  it('falls back to the name recorded when it is not an account here (the command line)', async () => {
    const r = await core.invoke('applicants.create', person('Clitest', 'تجربة'), { actor: { kind: 'cli', osUser: 'root' } as const });
    const f = await core.invoke('applicants.get', { id: r.id }, { token: agent });
    expect(f.statusHistory[0]).toMatchObject({ userName: 'cli:root', personName: null });
    expect(f.editHistory[0]).toMatchObject({ actorName: 'cli:root', personName: null });
    expect(f).toMatchObject({ createdBy: 'cli:root', createdByName: null });
  });
});
