import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../../../tests/helpers/core';
import { AppError } from '../../shared/errors';
import { allowedMoves, STATUS_TRANSITIONS, APPLICANT_STATUSES, type ApplicantInput } from '../../shared/api/applicants.contract';
import { errorTemplate } from '../../shared/i18n/translate-error';
import { runCli } from '../../cli/run-cli';
import type { Core } from '../core';

/** A fixed clock: ages and file numbers do not drift with the calendar. */
const clock = () => new Date('2026-06-15T09:00:00.000Z');
const CONSENT = { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' } as const;

let seq = 0;
/** A valid registration (Errachidia city), overridable field by field. */
function person(over: Partial<ApplicantInput> = {}): ApplicantInput {
  seq++;
  return {
    cin: `U${String(100000 + seq)}`,
    firstNameAr: 'سلمى',
    lastNameAr: `بوطالب`,
    firstNameLat: 'Salma',
    lastNameLat: 'Boutaleb',
    sex: 'F',
    birthDate: `19${70 + (seq % 30)}-0${1 + (seq % 9)}-1${seq % 10}`,
    phone: '0612345678',
    communeCode: '08.201.01.01',
    isProjectHolder: true,
    consent: CONSENT,
    ...over,
  } as ApplicantInput;
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, params: e.params };
    throw e;
  }
  throw new Error('expected an AppError');
}

function issueMessages(params: Record<string, unknown>): string[] {
  return (params.issues as { path: string; message: string }[]).map((i) => `${i.path}:${i.message}`);
}

describe('applicant registry (provincial office)', () => {
  const core = tempCore({ clock });
  let admin = '';
  let agent = '';
  beforeAll(async () => {
    admin = (await setupOffice(core)).token;
    agent = await userToken(core, admin, 'agent1', 'agent');
  });
  afterAll(() => core.dispose());
  const as = (token: string) => ({ token });

  it('serves the reference lists and the 09-08 information text with its version', async () => {
    const refs = await core.invoke('refs.list', { kinds: ['situation', 'financing_source'] }, as(agent));
    expect(new Set(refs.map((r) => r.kind))).toEqual(new Set(['situation', 'financing_source']));
    expect(refs.find((r) => r.code === 'violence_victim')).toMatchObject({ labelAr: 'ضحية عنف', labelFr: 'Victime de violence', sensitive: true });
    const t = await core.invoke('applicants.consentText', {}, as(agent));
    expect(t.version).toBe('2026-01');
    expect(t.ar.sections.map((s) => s.heading)).toEqual(expect.arrayContaining(['المسؤول عن المعالجة', 'الغايات', 'المرسل إليهم', 'حقوقك']));
    expect(t.fr.sections.map((s) => s.body).join(' ')).toMatch(/accès, de rectification et d'opposition/);
  });

  it('registers with consent: normalised CIN and phone, a file number per office and year, the first status', async () => {
    const r = await core.invoke(
      'applicants.create',
      person({ cin: 'ua 123-456', phone: '06 61.23-45 67', firstNameAr: 'خديجة', lastNameAr: 'أوحمو', firstNameLat: 'Khadija', lastNameLat: 'Ouhammou', birthDate: '09/03/1990' }),
      as(agent),
    );
    expect(r.fileNo).toBe('ERR-2026-000001');
    expect(r.warnings).toEqual([]);
    const f = await core.invoke('applicants.get', { id: r.id }, as(agent));
    expect(f).toMatchObject({
      cin: 'UA123456',
      cinFormatOk: true,
      phone: '+212661234567',
      birthDate: '1990-03-09',
      age: 36,
      status: 'registered',
      consent: { status: 'given', date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
      commune: { code: '08.201.01.01', type: 'urbaine' },
      allowedMoves: ['oriented', 'not_retained', 'dropped_out'],
      hiddenFields: [],
    });
    expect(f.statusHistory).toHaveLength(1);
    expect(f.statusHistory[0]).toMatchObject({ from: null, to: 'registered', userName: 'agent1' });
    expect(f.editHistory[0].changes.cin).toEqual([null, 'UA123456']);
    const second = await core.invoke('applicants.create', person(), as(agent));
    expect(second.fileNo).toBe('ERR-2026-000002');
    const row = core.sqlite.prepare('SELECT change_seq, name_key_ar, name_key_lat FROM applicants WHERE id = ?').get(r.id) as Record<string, unknown>;
    expect(row).toMatchObject({ name_key_ar: 'خديجه اوحمو', name_key_lat: 'khadija ouhamou' });
    expect(row.change_seq).toBeGreaterThan(0);
  });

  it('validates each field at the door, with coded messages in Arabic and French', async () => {
    const cases: [Partial<ApplicantInput> | Record<string, unknown>, string][] = [
      [{ cin: '' }, 'cin:applicant.cin_required'],
      [{ cin: 'AB*12' }, 'cin:applicant.cin_invalid'],
      [{ firstNameAr: '', lastNameAr: '', firstNameLat: '', lastNameLat: '' }, 'firstNameAr:applicant.name_required'],
      [{ firstNameAr: 'Salma' }, 'firstNameAr:applicant.name_ar_script'],
      [{ lastNameLat: 'بوطالب' }, 'lastNameLat:applicant.name_lat_script'],
      [{ sex: 'X' }, 'sex:applicant.sex_invalid'],
      [{ birthDate: '31/02/1990' }, 'birthDate:applicant.date_invalid'],
      [{ phone: '0812345678' }, 'phone:applicant.phone_invalid'],
      [{ phoneOwner: 'neighbour' }, 'phoneOwner:applicant.phone_owner_invalid'],
      [{ communeCode: 'Errachidia' }, 'communeCode:applicant.commune_invalid'],
      [{ hasDisability: true, disabilityTypes: [] }, 'disabilityTypes:applicant.disability_type_required'],
      [{ disabilitySeverity: 'total' }, 'disabilitySeverity:applicant.severity_invalid'],
      [{ disabilityCardExpiry: '2026-02-30' }, 'disabilityCardExpiry:applicant.date_invalid'],
      [{ rsuIndex: 500 }, 'rsuIndex:applicant.rsu_index_invalid'],
      [{ consent: { ...CONSENT, given: false } }, 'consent.given:applicant.consent_required'],
      [{ consent: { ...CONSENT, channel: 'sms' } }, 'consent.channel:applicant.consent_channel_invalid'],
    ];
    const before = (core.sqlite.prepare('SELECT count(*) n FROM applicants').get() as { n: number }).n;
    for (const [over, expected] of cases) {
      const e = await codeOf(core.invoke('applicants.create', person(over as Partial<ApplicantInput>), as(agent)));
      expect(e.code, expected).toBe('validation.failed');
      expect(issueMessages(e.params), expected).toContain(expected);
      const message = expected.split(':')[1];
      expect(errorTemplate(message, 'ar'), message).toBeTruthy();
      expect(errorTemplate(message, 'fr'), message).toBeTruthy();
    }
    const { consent: _c, ...noConsent } = person();
    expect((await codeOf(core.invoke('applicants.create', noConsent, as(agent)))).code).toBe('validation.failed');
    expect((core.sqlite.prepare('SELECT count(*) n FROM applicants').get() as { n: number }).n).toBe(before);
  });

  it('checks the rules behind the fields: consent version, territory, reference codes, dates', async () => {
    expect(await codeOf(core.invoke('applicants.create', person({ consent: { ...CONSENT, textVersion: '2025-01' } }), as(agent)))).toMatchObject({
      code: 'applicant.consent_version_outdated',
      params: { expected: '2026-01' },
    });
    expect((await codeOf(core.invoke('applicants.create', person({ consent: { ...CONSENT, date: '2026-07-01' } }), as(agent)))).code).toBe(
      'applicant.consent_date_future',
    );
    // Ouarzazate city: another province.
    expect((await codeOf(core.invoke('applicants.create', person({ communeCode: '08.401.01.07' }), as(agent)))).code).toBe('territory.out_of_scope');
    expect((await codeOf(core.invoke('applicants.create', person({ communeCode: '08.201.99.99' }), as(agent)))).code).toBe('applicant.commune_unknown');
    expect(await codeOf(core.invoke('applicants.create', person({ educationLevel: 'PHD' }), as(agent)))).toMatchObject({
      code: 'applicant.ref_unknown',
      params: { field: 'educationLevel', code: 'PHD' },
    });
    expect((await codeOf(core.invoke('applicants.create', person({ situations: ['rich'] }), as(agent)))).code).toBe('applicant.ref_unknown');
    expect((await codeOf(core.invoke('applicants.create', person({ birthDate: '2027-01-01' }), as(agent)))).code).toBe('applicant.birth_date_future');
  });

  it('warns without refusing: unusual CIN format, age outside the programme range, expired disability card', async () => {
    const r = await core.invoke(
      'applicants.create',
      person({ cin: 'ABC1234', birthDate: '1950-01-01', hasDisability: true, disabilityTypes: ['motor'], disabilityCardExpiry: '2025-01-01' }),
      as(agent),
    );
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['applicant.age_out_of_range', 'applicant.cin_format', 'applicant.disability_card_expired']);
    // The programme's range: 18 to 70 by default (issue 13).
    expect(r.warnings.find((w) => w.code === 'applicant.age_out_of_range')?.params).toEqual({ age: 76, min: 18, max: 70 });
    // Under 18: a warning, not a refusal.
    const young = await core.invoke('applicants.create', person({ birthDate: '2010-01-01', firstNameAr: 'سلمى', firstNameLat: 'Salma', lastNameAr: 'ناصري', lastNameLat: 'Nasri' }), as(agent));
    expect(young.warnings.find((w) => w.code === 'applicant.age_out_of_range')?.params).toEqual({ age: 16, min: 18, max: 70 });
    // The range is a setting.
    core.sqlite.prepare("UPDATE settings SET value = '80' WHERE key = 'registry.age_max'").run();
    // (Another woman: Salma Boutaleb born one day apart would be proposed as the same person.)
    const r2 = await core.invoke('applicants.create', person({ birthDate: '1950-01-02', firstNameAr: 'هاجر', firstNameLat: 'Hajar' }), as(agent));
    expect(r2.warnings).toEqual([]);
    core.sqlite.prepare("UPDATE settings SET value = '70' WHERE key = 'registry.age_max'").run();
  });

  it('refuses a CIN already registered anywhere, pointing to the existing file', async () => {
    const first = await core.invoke('applicants.create', person({ cin: 'PA778899' }), as(agent));
    const e = await codeOf(core.invoke('applicants.create', person({ cin: 'pa-778 899', firstNameLat: 'Other', firstNameAr: 'أخرى' }), as(agent)));
    expect(e).toMatchObject({ code: 'applicant.cin_taken', params: { existingId: first.id, fileNo: first.fileNo } });
    const live = await core.invoke('applicants.checkDuplicates', { cin: 'PA 778899' }, as(agent));
    expect(live.cinTaken).toEqual({ id: first.id, fileNo: first.fileNo });
    expect(live.candidates[0]).toMatchObject({ id: first.id, reason: 'cin', score: 1 });
  });

  it('stops a likely duplicate across scripts and spellings until staff confirm it is another person', async () => {
    const original = await core.invoke(
      'applicants.create',
      person({ firstNameAr: 'فاطمة الزهراء', lastNameAr: 'أيت علي', firstNameLat: '', lastNameLat: '', birthDate: '1992-04-07' }),
      as(agent),
    );
    // Live check while typing, Latin only, day and month swapped.
    const live = await core.invoke(
      'applicants.checkDuplicates',
      { firstNameLat: 'Fatimazahra', lastNameLat: 'Aït-Ali', birthDate: '07/04/1992' },
      as(agent),
    );
    expect(live.candidates[0]).toMatchObject({ id: original.id, fileNo: original.fileNo, reason: 'name_birth', firstNameAr: 'فاطمة الزهراء' });
    expect(live.candidates[0].score).toBeGreaterThanOrEqual(0.8);
    const swapped = await core.invoke('applicants.checkDuplicates', { firstNameLat: 'Fatima-Zahra', lastNameLat: 'AIT ALI', birthDate: '1992-07-04' }, as(agent));
    expect(swapped.candidates.map((c) => c.id)).toContain(original.id);
    // Not the same person: another first name.
    const other = await core.invoke('applicants.checkDuplicates', { firstNameLat: 'Fatiha', lastNameLat: 'Ait Ali', birthDate: '1992-04-07' }, as(agent));
    expect(other.candidates).toEqual([]);

    const dup = person({ firstNameAr: 'فاطمه الزهراء', lastNameAr: 'ايت علي', firstNameLat: 'Fatima Zahra', lastNameLat: 'Ait Ali', birthDate: '1992-04-07' });
    const e = await codeOf(core.invoke('applicants.create', dup, as(agent)));
    expect(e.code).toBe('applicant.possible_duplicates');
    expect((e.params.candidates as { id: string }[]).map((c) => c.id)).toEqual([original.id]);
    expect(core.sqlite.prepare('SELECT count(*) n FROM applicants WHERE cin = ?').get(dup.cin)).toEqual({ n: 0 });

    const ok = await core.invoke('applicants.create', { ...dup, distinctFrom: [original.id] }, as(agent));
    expect(core.sqlite.prepare('SELECT applicant_id, other_id, decision, user_name FROM duplicate_decisions WHERE applicant_id = ?').all(ok.id)).toEqual([
      { applicant_id: ok.id, other_id: original.id, decision: 'distinct', user_name: 'agent1' },
    ]);
    // The decision shows when the pair comes up again.
    const again = await core.invoke(
      'applicants.checkDuplicates',
      { firstNameLat: dup.firstNameLat, lastNameLat: dup.lastNameLat, birthDate: dup.birthDate, excludeId: ok.id },
      as(agent),
    );
    expect(again.candidates.find((c) => c.id === original.id)?.decision).toBe('distinct');

    const same = await core.invoke('applicants.recordDuplicateDecision', { applicantId: null, otherId: original.id, decision: 'same' }, as(agent));
    expect(core.sqlite.prepare('SELECT decision, applicant_id FROM duplicate_decisions WHERE id = ?').get(same.id)).toEqual({ decision: 'same', applicant_id: null });
    expect((await codeOf(core.invoke('applicants.recordDuplicateDecision', { applicantId: ok.id, otherId: ok.id, decision: 'distinct' }, as(agent)))).code).toBe(
      'applicant.duplicate_self',
    );
  });

  it('walks the path with date, user and reason; refuses illegal moves listing the legal ones', async () => {
    const { id } = await core.invoke('applicants.create', person(), as(agent));
    const illegal = await codeOf(core.invoke('applicants.setStatus', { id, to: 'trained' }, as(agent)));
    expect(illegal).toMatchObject({ code: 'applicant.illegal_move', params: { from: 'registered', to: 'trained', allowed: ['oriented', 'not_retained', 'dropped_out'] } });
    for (const to of ['oriented', 'preselected', 'in_training', 'trained', 'in_incubation', 'project_validated'] as const) {
      const r = await core.invoke('applicants.setStatus', { id, to }, as(agent));
      expect(r.status).toBe(to);
    }
    expect((await codeOf(core.invoke('applicants.setStatus', { id, to: 'financed' }, as(agent)))).code).toBe('applicant.financing_source_required');
    const fin = await core.invoke('applicants.setStatus', { id, to: 'financed', financingSource: 'intelaka', reason: 'Comité du 10 juin' }, as(agent));
    expect(fin.allowedMoves).toEqual(['followed_up', 'not_retained', 'dropped_out']);
    await core.invoke('applicants.setStatus', { id, to: 'followed_up' }, as(agent));
    expect((await codeOf(core.invoke('applicants.setStatus', { id, to: 'dropped_out' }, as(agent)))).code).toBe('applicant.reason_required');
    await core.invoke('applicants.setStatus', { id, to: 'closed' }, as(agent));
    const closed = await codeOf(core.invoke('applicants.setStatus', { id, to: 'oriented' }, as(agent)));
    expect(closed).toMatchObject({ code: 'applicant.illegal_move', params: { allowed: [] } });

    const f = await core.invoke('applicants.get', { id }, as(agent));
    expect(f.status).toBe('closed');
    expect(f.financingSource).toBe('intelaka');
    expect(f.closedAt).toBeTruthy();
    expect(f.statusHistory.map((h) => h.to)).toEqual([
      'registered', 'oriented', 'preselected', 'in_training', 'trained', 'in_incubation', 'project_validated', 'financed', 'followed_up', 'closed',
    ]);
    expect(f.statusHistory[7]).toMatchObject({ from: 'project_validated', to: 'financed', financingSource: 'intelaka', reason: 'Comité du 10 juin', userName: 'agent1' });

    const other = await core.invoke('applicants.create', person(), as(agent));
    // The date of a move: not before the last change (here the registration, today), not in the future.
    for (const date of ['2026-06-01', '2026-06-20']) {
      expect((await codeOf(core.invoke('applicants.setStatus', { id: other.id, to: 'oriented', date }, as(agent)))).code, date).toBe(
        'applicant.status_date_invalid',
      );
    }
    await core.invoke('applicants.setStatus', { id: other.id, to: 'oriented', date: '2026-06-15' }, as(agent));
    const drop = await core.invoke('applicants.setStatus', { id: other.id, to: 'dropped_out', reason: 'moved' }, as(agent));
    expect(drop.allowedMoves).toEqual(['closed']);
  });

  it('the transition table: one step forward, exits from every active step, nothing out of closed', () => {
    expect(Object.keys(STATUS_TRANSITIONS).sort()).toEqual([...APPLICANT_STATUSES].sort());
    for (const s of APPLICANT_STATUSES) {
      if (s === 'closed' || s === 'not_retained' || s === 'dropped_out') continue;
      expect(allowedMoves(s)).toContain('not_retained');
      expect(allowedMoves(s)).toContain('dropped_out');
      expect(allowedMoves(s).filter((m) => m !== 'not_retained' && m !== 'dropped_out')).toHaveLength(1);
    }
    expect(allowedMoves('closed')).toEqual([]);
    expect(allowedMoves('registered')).not.toContain('financed');
  });

  it('audits edits field by field and keeps the CIN unique', async () => {
    const a = await core.invoke('applicants.create', person({ cin: 'UB111111' }), as(agent));
    await core.invoke('applicants.create', person({ cin: 'UB222222' }), as(agent));
    const r = await core.invoke('applicants.update', { id: a.id, changes: { phone: '+212 7 00 11 22 33', address: 'Hay Ennahda 12', isProjectHolder: true } }, as(agent));
    expect(r.changed.sort()).toEqual(['address', 'phone']);
    expect((await codeOf(core.invoke('applicants.update', { id: a.id, changes: { cin: 'ub 222222' } }, as(agent)))).code).toBe('applicant.cin_taken');
    expect((await codeOf(core.invoke('applicants.update', { id: a.id, changes: { hasDisability: true } }, as(agent)))).code).toBe('validation.failed');
    await core.invoke('applicants.update', { id: a.id, changes: { firstNameLat: 'Selma' } }, as(agent));
    const f = await core.invoke('applicants.get', { id: a.id }, as(agent));
    const edits = f.editHistory.filter((h) => h.method === 'applicants.update');
    expect(edits).toHaveLength(2);
    expect(edits[0]).toMatchObject({ actorName: 'agent1', changes: { phone: ['+212612345678', '+212700112233'], address: ['', 'Hay Ennahda 12'] } });
    expect(edits[1].changes).toEqual({ firstNameLat: ['Salma', 'Selma'] });
    // The search keys follow the edit.
    const s = await core.invoke('applicants.search', { q: 'selma' }, as(agent));
    expect(s.items.map((i) => i.id)).toContain(a.id);
    expect((await codeOf(core.invoke('applicants.update', { id: 'nope', changes: { address: 'x' } }, as(agent)))).code).toBe('applicant.not_found');
  });

  describe('search', () => {
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      const add = async (key: string, over: Partial<ApplicantInput>) => {
        ids[key] = (await core.invoke('applicants.create', person(over), as(agent))).id;
      };
      await add('idrissi', { cin: 'UD123456', firstNameAr: 'أمينة', lastNameAr: 'الإدريسي', firstNameLat: 'Amina', lastNameLat: 'El Idrissi', phone: '0677889900', birthDate: '2000-01-01', communeCode: '08.201.01.03' });
      await add('amziane', { cin: 'UD123999', firstNameAr: 'إيطو', lastNameAr: 'أمزيان', firstNameLat: 'Itto', lastNameLat: 'Amziane', phone: '0533445566', birthDate: '1975-05-05', hasDisability: true, disabilityTypes: ['visual'], isDifficultSituation: true, situations: ['widow'] });
      const oriented = (await core.invoke('applicants.create', person({ cin: 'UD555555', firstNameAr: 'رقية', lastNameAr: 'أخياط', firstNameLat: 'Rkia', lastNameLat: 'Akhiat' }), as(agent))).id;
      await core.invoke('applicants.setStatus', { id: oriented, to: 'oriented' }, as(agent));
      ids.akhiat = oriented;
    });

    it('finds name fragments in either script, normalised', async () => {
      for (const q of ['الإدريسي', 'الادريسي', 'ادريس', 'Idrissi', 'idris', 'AMINA', 'أمينة ال', 'amina el']) {
        const r = await core.invoke('applicants.search', { q }, as(agent));
        expect(r.mode, q).toBe('name');
        expect(r.items.map((i) => i.id), q).toContain(ids.idrissi);
        expect(r.total, q).toBe(r.items.length);
      }
      const short = await core.invoke('applicants.search', { q: 'it' }, as(agent));
      expect(short.items.map((i) => i.id)).toContain(ids.amziane);
      const none = await core.invoke('applicants.search', { q: 'Zzyzx' }, as(agent));
      expect(none).toMatchObject({ total: 0, items: [] });
    });

    it('puts names where the fragment starts a word first', async () => {
      await core.invoke('applicants.create', person({ cin: 'UD700001', firstNameLat: 'Hakima', lastNameLat: 'Mina', firstNameAr: 'حكيمة', lastNameAr: 'مينة' }), as(agent));
      await core.invoke('applicants.create', person({ cin: 'UD700002', firstNameLat: 'Amina', lastNameLat: 'Tagni', firstNameAr: 'أمينة', lastNameAr: 'تاكني' }), as(agent));
      const r = await core.invoke('applicants.search', { q: 'mina' }, as(agent));
      expect(r.items[0].lastNameLat).toBe('Mina');
    });

    it('finds a CIN by its prefix and a phone in any spelling', async () => {
      const cin = await core.invoke('applicants.search', { q: 'ud12' }, as(agent));
      expect(cin.mode).toBe('cin');
      expect(cin.items.map((i) => i.id)).toEqual([ids.idrissi, ids.amziane]);
      for (const q of ['0677889900', '06 77 88 99 00', '+212677889900', '00212677889900', '٠٦٧٧٨٨٩٩٠٠', '067788']) {
        const r = await core.invoke('applicants.search', { q }, as(agent));
        expect(r.mode, q).toBe('phone');
        expect(r.items.map((i) => i.id), q).toEqual([ids.idrissi]);
      }
      const fileNo = (await core.invoke('applicants.get', { id: ids.idrissi }, as(agent))).fileNo;
      const byFile = await core.invoke('applicants.search', { q: fileNo.toLowerCase() }, as(agent));
      expect(byFile).toMatchObject({ mode: 'file_no', total: 1 });
    });

    it('filters by commune, category, status, age band, disability and period; sorts and pages', async () => {
      const all = await core.invoke('applicants.search', { limit: 500 }, as(agent));
      const total = all.total;
      expect(all.items).toHaveLength(total);
      const q = (filters: Record<string, unknown>) => core.invoke('applicants.search', { filters, limit: 500 }, as(agent));
      expect((await q({ communeCode: '08.201.01.03' })).items.map((i) => i.id)).toEqual([ids.idrissi]);
      expect((await q({ status: ['oriented'] })).items.map((i) => i.id)).toContain(ids.akhiat);
      expect((await q({ status: ['oriented'] })).items.every((i) => i.status === 'oriented')).toBe(true);
      const dis = await q({ hasDisability: true });
      expect(dis.items.map((i) => i.id)).toContain(ids.amziane);
      expect((await q({ category: 'disability' })).total).toBe(dis.total);
      expect((await q({ category: 'difficult_situation', situation: 'widow' })).items.map((i) => i.id)).toEqual([ids.amziane]);
      const young = await q({ ageMin: 18, ageMax: 27 });
      expect(young.items.map((i) => i.id)).toContain(ids.idrissi);
      expect(young.items.every((i) => i.age! >= 18 && i.age! <= 27)).toBe(true);
      expect((await q({ ageMin: 50 })).items.map((i) => i.id)).toContain(ids.amziane);
      expect((await q({ registeredFrom: '2026-06-15', registeredTo: '2026-06-15' })).total).toBe(total);
      expect((await q({ registeredFrom: '2026-06-16' })).total).toBe(0);
      const sorted = await core.invoke('applicants.search', { sort: 'file_no', dir: 'desc', limit: 3, offset: 1 }, as(agent));
      expect(sorted.total).toBe(total);
      expect(sorted.items).toHaveLength(3);
      const desc = all.items.map((i) => i.fileNo).sort().reverse();
      expect(sorted.items.map((i) => i.fileNo)).toEqual(desc.slice(1, 4));
    });
  });

  it('agents register; the CLI acts as administrator; nobody deletes', async () => {
    const head = await userToken(core, admin, 'chef1', 'office_head');
    await core.invoke('applicants.create', person(), as(head));
    await core.invoke('applicants.create', person(), { actor: cli });
    expect(Object.keys(core).join(' ')).not.toMatch(/delete/i);
  });
});

describe('roles at the regional office', () => {
  const core = tempCore({ clock });
  let agent = '';
  let coordinator = '';
  let id = '';
  beforeAll(async () => {
    const admin = (await setupOffice(core, 'region')).token;
    agent = await userToken(core, admin, 'agent-r', 'agent');
    coordinator = await userToken(core, admin, 'coord', 'coordinator');
    // The region may register in any province of Drâa-Tafilalet.
    id = (
      await core.invoke(
        'applicants.create',
        person({ communeCode: '08.401.01.07', hasDisability: true, disabilityTypes: ['hearing'], disabilitySeverity: 'moderate', isDifficultSituation: true, situations: ['violence_victim', 'widow'], rsuRegistered: true, rsuIndex: 7.5 }),
        { token: agent },
      )
    ).id;
    await core.invoke('applicants.update', { id, changes: { disabilitySeverity: 'severe' } }, { token: agent });
  });
  afterAll(() => core.dispose());

  it('the coordinator reads but cannot register, edit or move a file', async () => {
    expect((await codeOf(core.invoke('applicants.create', person(), { token: coordinator }))).code).toBe('auth.forbidden');
    expect((await codeOf(core.invoke('applicants.update', { id, changes: { address: 'x' } }, { token: coordinator }))).code).toBe('auth.forbidden');
    expect((await codeOf(core.invoke('applicants.setStatus', { id, to: 'oriented' }, { token: coordinator }))).code).toBe('auth.forbidden');
    const s = await core.invoke('applicants.search', { q: 'salma' }, { token: coordinator });
    expect(s.items.map((i) => i.id)).toContain(id);
  });

  it('sensitive fields are withheld from the coordinator, and the payload says so', async () => {
    const full = await core.invoke('applicants.get', { id }, { token: agent });
    expect(full).toMatchObject({ hasDisability: true, disabilitySeverity: 'severe', rsuIndex: 7.5, hiddenFields: [] });
    expect(full.situations.map((s) => s.code).sort()).toEqual(['violence_victim', 'widow']);
    const f = await core.invoke('applicants.get', { id }, { token: coordinator });
    expect(f).toMatchObject({ hasDisability: null, disabilityTypes: null, disabilitySeverity: null, rsuIndex: null });
    expect(f.hiddenFields).toEqual(expect.arrayContaining(['hasDisability', 'disabilityTypes', 'rsuIndex', 'situations']));
    expect(f.situations.map((s) => s.code)).toEqual(['widow']);
    const edit = f.editHistory.find((h) => h.method === 'applicants.update')!;
    expect(edit.changes.disabilitySeverity).toEqual(['•••', '•••']);
    expect(JSON.stringify(f)).not.toMatch(/violence_victim|hearing|moderate/);
    expect((await codeOf(core.invoke('applicants.search', { filters: { hasDisability: true } }, { token: coordinator }))).code).toBe(
      'applicant.sensitive_filter_forbidden',
    );
    expect((await codeOf(core.invoke('applicants.search', { filters: { situation: 'violence_victim' } }, { token: coordinator }))).code).toBe(
      'applicant.sensitive_filter_forbidden',
    );
  });

  it("the registry list gives her disability in words to the office's staff and leaves the field out for the coordinator", async () => {
    const other = (await core.invoke('applicants.create', person({ communeCode: '08.401.01.07', firstNameLat: 'Salma', lastNameLat: 'Ouhaddou' }), { token: agent })).id;
    const types = await core.invoke('refs.list', { kinds: ['disability_type'] }, { token: agent });
    const hearing = types.find((r) => r.code === 'hearing')!;
    const staff = await core.invoke('applicants.search', { q: 'salma' }, { token: agent });
    const mine = staff.items.find((i) => i.id === id)!;
    expect(mine.disability).toEqual({ has: true, types: [{ code: 'hearing', labelAr: hearing.labelAr, labelFr: hearing.labelFr }] });
    expect(staff.items.find((i) => i.id === other)!.disability).toEqual({ has: false, types: [] });
    // The coordinator: the same rows, without the field at all (not null, not false: absent from what crosses the door).
    const coord = await core.invoke('applicants.search', { q: 'salma' }, { token: coordinator });
    expect(coord.items.map((i) => i.id).sort()).toEqual(staff.items.map((i) => i.id).sort());
    for (const item of coord.items) expect(Object.keys(item)).not.toContain('disability');
    expect(JSON.stringify(coord)).not.toMatch(/disability|hearing|إعاقة|handicap/i);
  });
});

describe('CLI', () => {
  const core = tempCore({ clock });
  beforeAll(async () => {
    await setupOffice(core, 'tinghir');
  });
  afterAll(() => core.dispose());
  const open = (): Core => Object.assign(Object.create(core), { close: async () => {} });

  async function run(args: string[], stdin = '') {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...args, '--db', 'ignored.db'], { open, io: { stdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) } });
    return { code, out, err };
  }
  const tinghir = (over: Partial<ApplicantInput> = {}) =>
    JSON.stringify(person({ communeCode: '08.577.01.03', firstNameAr: 'يامنة', lastNameAr: 'أيت باها', firstNameLat: 'Yamna', lastNameLat: 'Ait Baha', birthDate: '1988-08-08', ...over }));

  it('applicant add prints the id; a taken CIN or bad data exits non-zero with the code; duplicates need --distinct', async () => {
    const r = await run(['applicant', 'add'], tinghir({ cin: 'PA123456' }));
    expect(r.code, r.err.join()).toBe(0);
    const { id, fileNo } = JSON.parse(r.out[0]);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fileNo).toBe('TIN-2026-000001');

    const taken = await run(['applicant', 'add'], tinghir({ cin: 'pa 123456' }));
    expect(taken.code).toBe(1);
    expect(JSON.parse(taken.err[0]).error).toMatchObject({ code: 'applicant.cin_taken', params: { existingId: id } });

    const bad = await run(['applicant', 'add'], tinghir({ cin: 'PA000001', phone: '123' }));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err[0]).error.code).toBe('validation.failed');

    const dup = await run(['applicant', 'add'], tinghir({ cin: 'PA654321', firstNameAr: '', lastNameAr: '', lastNameLat: 'AIT-BAHA' }));
    expect(dup.code).toBe(1);
    const e = JSON.parse(dup.err[0]).error;
    expect(e.code).toBe('applicant.possible_duplicates');
    expect(e.params.candidates[0]).toMatchObject({ id, fileNo });
    expect(e.message).toMatch(/déjà inscrite/);

    const forced = await run(['applicant', 'add', '--distinct'], tinghir({ cin: 'PA654321', firstNameAr: '', lastNameAr: '', lastNameLat: 'AIT-BAHA' }));
    expect(forced.code, forced.err.join()).toBe(0);
    expect(core.sqlite.prepare('SELECT other_id FROM duplicate_decisions').all()).toEqual([{ other_id: id }]);
    expect((await run(['applicant', 'add'], '')).code).toBe(2);
  });

  it('applicant search prints JSON lines best first; show prints the whole file; status moves it', async () => {
    const s = await run(['applicant', 'search', '--q', 'Aït Baha']);
    expect(s.code).toBe(0);
    expect(s.out).toHaveLength(2);
    expect(JSON.parse(s.err[0])).toMatchObject({ mode: 'name', total: 2 });
    // In Arabic: the file written in Arabic first, then the one written in Latin letters only (across scripts).
    const ar = await run(['applicant', 'search', '--q', 'ايت باها']);
    expect(ar.out).toHaveLength(2);
    const first = JSON.parse(ar.out[0]);
    expect(first.lastNameAr).toBe('أيت باها');
    expect(JSON.parse(ar.out[1])).toMatchObject({ lastNameAr: '', lastNameLat: 'AIT-BAHA' });

    const moved = await run(['applicant', 'status', '--id', first.id, '--to', 'oriented', '--reason', 'Entretien du 14 juin']);
    expect(moved.code, moved.err.join()).toBe(0);
    expect(JSON.parse(moved.out[0])).toMatchObject({ status: 'oriented', entry: { reason: 'Entretien du 14 juin' } });
    const illegal = await run(['applicant', 'status', '--id', first.id, '--to', 'financed']);
    expect(illegal.code).toBe(1);
    expect(JSON.parse(illegal.err[0]).error).toMatchObject({ code: 'applicant.illegal_move', params: { allowed: ['preselected', 'not_retained', 'dropped_out'] } });
    expect((await run(['applicant', 'status', '--id', first.id, '--to', 'flying'])).code).toBe(2);

    const show = await run(['applicant', 'show', '--id', first.id]);
    expect(show.code).toBe(0);
    const file = JSON.parse(show.out[0]);
    expect(file).toMatchObject({ id: first.id, status: 'oriented', commune: { code: '08.577.01.03' } });
    expect(file.statusHistory.map((h: { to: string }) => h.to)).toEqual(['registered', 'oriented']);
    expect(file.statusHistory[1].userName).toMatch(/^cli:/);
    const missing = await run(['applicant', 'show', '--id', 'nope']);
    expect(JSON.parse(missing.err[0]).error.code).toBe('applicant.not_found');
  });
});
