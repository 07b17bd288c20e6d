// Seeder of the sessions feature: organisations of the office's province, their facilitators, cohorts of
// 25–40 women among applicants already in training or beyond, sessions with attendance (about ten rows per
// applicant of the database: 100,000 applicants → about 1,000,000 attendance rows), individual mentoring
// for women in incubation or beyond, and business plans, written through the sessions repository in the caller's transaction.
import { uuidv7 } from 'uuidv7';
import { PROVINCE_NAMES, OFFICES } from '../../shared/offices';
import { seeders, type Seeder } from './seed';
import { readable, writable } from '../db/handles';
import { recordChange } from '../changes/changes.repo';
import * as repo from '../sessions/sessions.repo';
import { summariesAfter } from '../reports/summaries-bulk';

const TRAINING_OR_LATER = ['in_training', 'trained', 'in_incubation', 'project_validated', 'financed', 'followed_up'];
const INCUBATION_OR_LATER = new Set(['in_incubation', 'project_validated', 'financed', 'followed_up']);

/** The order topics are taught in a training path (codes of ref_items kind 'topic'). */
const CURRICULUM = [
  'personal_skills',
  'entrepreneurship',
  'entrepreneurship',
  'marketing',
  'management',
  'legal_forms',
  'cooperatives',
  'accounting',
  'financing',
  'digital',
  'quality_hygiene',
  'business_plan',
  'business_plan',
];

const INCUBATORS = [
  { ar: 'جمعية النهوض بالمرأة القروية', fr: 'Association pour la promotion de la femme rurale' },
  { ar: 'جمعية الواحة للتنمية والتضامن', fr: "Association Al Waha pour le développement et la solidarité" },
  { ar: 'اتحاد جمعيات التجارة والمهن', fr: 'Union des associations du commerce et des métiers' },
  { ar: 'جمعية أفق للمبادرات النسائية', fr: 'Association Ofok pour les initiatives féminines' },
];
const FACILITATORS = [
  'Khadija Ouali', 'Aicha Moussaoui', 'Hassan Amrani', 'Naima Boutaleb', 'Rachid El Idrissi', 'Fatima Zahra Alaoui',
  'Said Oubella', 'Meriem Tazi', 'Youssef Bakkali', 'Samira Lahlou', 'Mustapha Ait Ali', 'Latifa Bennani',
  'Hanane Ouchen', 'Brahim Ait Baha', 'Zineb Hamdaoui', 'Abdellah Ouzzine',
];
const WITHDRAW_REASONS = ['no_show', 'family', 'moved', 'employment', 'health'];
const MENTORING_NOTES = [
  ['Révision du budget prévisionnel', 'Demander trois devis pour le matériel'],
  ['Étude de marché locale présentée', 'Compléter la liste des clients potentiels'],
  ['Choix de la forme juridique discuté (coopérative)', 'Réunir les membres fondatrices'],
  ['Plan de financement : apport et prêt', 'Prendre rendez-vous avec la banque (Intelaka)'],
  ['Fiche produit et prix de vente', 'Tester le produit au souk hebdomadaire'],
];

function dayAdd(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const sessionsSeeder: Seeder = summariesAfter({
  name: 'sessions',
  run(core, opts, rng): Record<string, number> {
    const db = core.sqlite;
    const office = repo.installationOffice(readable(db));
    if (!office) return {};
    // A bigger page cache for this bulk load (the attendance indexes outgrow the default 2 MB).
    const cache = db.pragma('cache_size', { simple: true }) as number;
    db.pragma('cache_size = -262144');
    // (PRAGMA and DDL on the connection: not queries of the schema.)
    // Bulk load: the attendance table's secondary indexes are rebuilt once at the end (a sort) instead of
    // taking a million random inserts; same definitions as migrations/0004_sessions.sql.
    db.exec('DROP INDEX IF EXISTS attendance_applicant; DROP INDEX IF EXISTS attendance_change;');
    try {
      return seedSessions(core, opts, rng, office);
    } finally {
      db.exec('CREATE INDEX IF NOT EXISTS attendance_applicant ON attendance(applicant_id, session_id); CREATE INDEX IF NOT EXISTS attendance_change ON attendance(change_seq);');
      db.pragma(`cache_size = ${cache}`);
    }
  },
});

function seedSessions(
  core: Parameters<Seeder['run']>[0],
  opts: Parameters<Seeder['run']>[1],
  rng: () => number,
  office: { id: string; province_code: string | null; slug: string },
): Record<string, number> {
  {
    const wdb = writable(core.sqlite);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rng() * a.length)];
    const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
    const today = core.clock().toISOString().slice(0, 10);
    const nowIso = core.clock().toISOString();

    const seq = (entity: string, id: string, at: string) => recordChange(wdb, entity, id, 'insert', office.id, at);

    // Organisations of the province (every province of the region for the regional coordination).
    const provinces = office.province_code
      ? [{ code: office.province_code, slug: office.slug }]
      : OFFICES.filter((o) => o.provinceCode).map((o) => ({ code: o.provinceCode as string, slug: o.slug as string }));
    const orgs: { id: string; kind: string; trainers: string[]; mentors: string[] }[] = [];
    let facilitators = 0;
    for (const p of provinces) {
      const n = PROVINCE_NAMES[p.slug] ?? { ar: p.slug, fr: p.slug };
      const list = [
        { kind: 'entraide', ar: `المندوبية الإقليمية للتعاون الوطني ب${n.ar}`, fr: `Délégation de l'Entraide Nationale – ${n.fr}` },
        { kind: 'ads', ar: `وكالة التنمية الاجتماعية – ${n.ar}`, fr: `Agence de Développement Social – ${n.fr}` },
        ...INCUBATORS.slice(0, 2 + Math.floor(rng() * 2)).map((i) => ({ kind: 'incubator', ar: `${i.ar} – ${n.ar}`, fr: `${i.fr} – ${n.fr}` })),
      ];
      for (const o of list) {
        const id = uuidv7();
        const phone = `+2125${int(20000000, 39999999)}`;
        repo.insertOrganisation(wdb, {
          id,
          office_id: office.id,
          kind: o.kind as repo.OrganisationRow['kind'],
          province_code: p.code,
          name_ar: o.ar,
          name_fr: o.fr,
          phone,
          address: '',
          active: 1,
          created_at: nowIso,
          updated_at: nowIso,
          change_seq: seq('organisations', id, nowIso),
        });
        const org = { id, kind: o.kind, trainers: [] as string[], mentors: [] as string[] };
        for (let k = int(3, 5); k > 0; k--) {
          const fid = uuidv7();
          const role = k === 1 ? 'mentor' : rng() < 0.3 ? 'both' : 'trainer';
          const fullName = pick(FACILITATORS);
          const phone = `+2126${int(10000000, 99999999)}`;
          repo.insertFacilitator(wdb, {
            id: fid,
            office_id: office.id,
            organisation_id: id,
            full_name: fullName,
            role,
            phone,
            active: 1,
            created_at: nowIso,
            updated_at: nowIso,
            change_seq: seq('facilitators', fid, nowIso),
          });
          if (role !== 'mentor') org.trainers.push(fid);
          if (role !== 'trainer') org.mentors.push(fid);
          facilitators++;
        }
        orgs.push(org);
      }
    }
    const incubators = orgs.filter((o) => o.kind === 'incubator');

    // Women already in training or beyond, in the order they reached that stage.
    const women = repo.womenToSeed(wdb, office.id, TRAINING_OR_LATER);
    if (!women.length) return { organisations: orgs.length, facilitators };

    // About ten attendance rows per applicant of the database, most of them from group sessions.
    const target = opts.applicants * 10;
    const mentoringPerWoman = 3;
    const mentored = women.filter((w) => INCUBATION_OR_LATER.has(w.status)).length;
    const groupTarget = Math.max(0, target - mentored * mentoringPerWoman);
    const sessionsPerCohort = Math.min(60, Math.max(8, Math.round(groupTarget / women.length / 0.97)));

    const PLACES = ['Centre culturel', 'Maison de la femme', "Espace associatif", 'Centre socio-éducatif', "Foyer féminin de l'Entraide Nationale"];

    let cohorts = 0;
    let members = 0;
    let withdrawn = 0;
    let sessions = 0;
    let attendance = 0;
    const span = Math.ceil(sessionsPerCohort * 3.5); // two sessions a week
    for (let i = 0; i < women.length; ) {
      const size = Math.min(int(25, 40), women.length - i);
      const group = women.slice(i, i + size);
      i += size;
      const org = rng() < 0.75 && incubators.length ? pick(incubators) : pick(orgs);
      // The cohort starts when its first woman entered training, early enough to have been held by today.
      let start = group[0].since || today;
      if (dayAdd(start, span) > today) start = dayAdd(today, -span - 1);
      const end = dayAdd(start, span);
      const cohortId = uuidv7();
      const cAt = `${start}T08:00:00.000Z`;
      const place = `${pick(PLACES)}`;
      cohorts++;
      repo.insertCohort(wdb, {
        id: cohortId,
        office_id: office.id,
        organisation_id: org.id,
        name: `Cohorte ${cohorts} – ${start.slice(0, 7)}`,
        start_date: start,
        end_date: end,
        place,
        notes: '',
        created_at: cAt,
        updated_at: cAt,
        change_seq: seq('cohorts', cohortId, cAt),
      });

      // Each woman has her own reliability; a few withdraw part-way.
      const roster = group.map((w) => {
        const reliability = rng() < 0.8 ? 0.85 + rng() * 0.14 : 0.45 + rng() * 0.35;
        const leavesAt = rng() < 0.04 ? int(2, sessionsPerCohort - 2) : -1;
        return { ...w, reliability, leavesAt };
      });
      for (const w of roster) {
        const mid = uuidv7();
        members++;
        let wAt: string | null = null;
        let reason: string | null = null;
        if (w.leavesAt >= 0) {
          wAt = dayAdd(start, Math.floor(w.leavesAt * 3.5));
          reason = pick(WITHDRAW_REASONS);
          withdrawn++;
        }
        repo.insertMember(wdb, {
          id: mid,
          office_id: office.id,
          cohort_id: cohortId,
          applicant_id: w.id,
          enrolled_at: start,
          withdrawn_at: wAt,
          withdraw_reason: reason,
          created_at: cAt,
          updated_at: cAt,
          change_seq: seq('cohort_members', mid, cAt),
        });
      }
      const trainers = org.trainers.length ? org.trainers : [null];
      for (let k = 0; k < sessionsPerCohort; k++) {
        const date = dayAdd(start, Math.floor(k * 3.5));
        const r = rng();
        const kind = k === sessionsPerCohort - 3 ? 'field_visit' : r < 0.8 ? 'group_training' : 'workshop';
        const minutes = kind === 'field_visit' ? 240 : pick([120, 150, 180, 180, 180, 210]);
        const startH = pick([9, 9, 10, 14]);
        const endMin = startH * 60 + minutes;
        const sid = uuidv7();
        const at = `${date}T17:00:00.000Z`;
        const topic = CURRICULUM[Math.floor((k / sessionsPerCohort) * CURRICULUM.length)];
        const trainer = pick(trainers);
        repo.insertSession(wdb, {
          id: sid,
          office_id: office.id,
          kind,
          date,
          start_time: `${String(startH).padStart(2, '0')}:00`,
          end_time: `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`,
          duration_min: minutes,
          topic_code: topic,
          place,
          organisation_id: org.id,
          facilitator_id: trainer,
          cohort_id: cohortId,
          applicant_id: null,
          notes: '',
          next_steps: '',
          cancelled_at: null,
          cancel_reason: null,
          created_by: 'seed',
          created_at: at,
          updated_at: at,
          change_seq: seq('training_sessions', sid, at),
        });
        sessions++;
        for (const w of roster) {
          if (w.leavesAt >= 0 && k > w.leavesAt) continue;
          const x = rng();
          const status = x < w.reliability ? 'present' : x < w.reliability + (1 - w.reliability) * 0.3 ? 'excused' : 'absent';
          const aid = uuidv7();
          repo.insertAttendance(wdb, { id: aid, office_id: office.id, session_id: sid, applicant_id: w.id, status, note: '', created_at: at, updated_at: at, change_seq: seq('attendance', aid, at) });
          attendance++;
        }
      }

      // Individual mentoring and business plans for women in incubation or beyond.
      for (const w of roster) {
        if (!INCUBATION_OR_LATER.has(w.status)) continue;
        const mentors = org.mentors.length ? org.mentors : [null];
        for (let m = 0; m < mentoringPerWoman; m++) {
          const date = dayAdd(end, 7 + m * 14 + int(0, 4));
          if (date > today) break;
          const note = pick(MENTORING_NOTES);
          const sid = uuidv7();
          const at = `${date}T17:00:00.000Z`;
          const minutes = pick([60, 60, 90]);
          const topic = pick(['business_plan', 'financing', 'legal_forms', 'marketing']);
          const mentor = pick(mentors);
          repo.insertSession(wdb, {
            id: sid,
            office_id: office.id,
            kind: 'mentoring',
            date,
            start_time: '10:00',
            end_time: minutes === 60 ? '11:00' : '11:30',
            duration_min: minutes,
            topic_code: topic,
            place: 'Incubateur',
            organisation_id: org.id,
            facilitator_id: mentor,
            cohort_id: null,
            applicant_id: w.id,
            notes: note[0],
            next_steps: note[1],
            cancelled_at: null,
            cancel_reason: null,
            created_by: 'seed',
            created_at: at,
            updated_at: at,
            change_seq: seq('training_sessions', sid, at),
          });
          sessions++;
          const aid = uuidv7();
          const status = rng() < 0.92 ? 'present' : 'absent';
          repo.insertAttendance(wdb, { id: aid, office_id: office.id, session_id: sid, applicant_id: w.id, status, note: '', created_at: at, updated_at: at, change_seq: seq('attendance', aid, at) });
          attendance++;
        }
        const pid = uuidv7();
        const validated = w.status !== 'in_incubation';
        const pAt = `${dayAdd(end, 30)}T12:00:00.000Z`;
        repo.insertBusinessPlan(wdb, {
          id: pid,
          office_id: office.id,
          applicant_id: w.id,
          status: validated ? 'validated' : 'draft',
          validated_at: validated ? pAt.slice(0, 10) : null,
          note: '',
          created_at: pAt,
          updated_at: pAt,
          change_seq: seq('business_plans', pid, pAt),
        });
      }
    }
    return { organisations: orgs.length, facilitators, cohorts, cohortMembers: members, withdrawals: withdrawn, sessions, attendance };
  }
}

seeders.push(sessionsSeeder);
