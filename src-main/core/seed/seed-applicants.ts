// Seeder of the applicants feature: realistic synthetic registrations for the office's province.
//
// Arabic and Latin names of the region (Arabic and Amazigh family names, the usual Latin spelling variants),
// real communes of the province weighted by population, ages 18–55 at registration, categories and sub-categories,
// a disability for about 8%, statuses spread along the path with their status_history rows, Moroccan phones,
// CINs with the province's letter prefixes. Rows built and written through the applicants repository (the fields'
// mapping derived from the schema, statements prepared once) inside the seed transaction, with the search index and
// secondary indexes rebuilt once at the end (DDL on the connection): 100,000 applicants take a few seconds.
import { STATUS_PATH, type ApplicantStatus } from '../../shared/api/applicants.contract';
import { applicantNameKeys } from '../../shared/normalize/names';
import {
  insertApplicant,
  insertStatusHistory,
  newApplicantRow,
  setDisabilities,
  setSituations,
  type ApplicantRow,
  type ApplicantValues,
  type StatusHistoryRow,
} from '../applicants/applicants.repo';
import { writable } from '../db/handles';
import { SEARCH_TEXT_SQL } from '../applicants/matching-keys';
import { seeders, type Seeder } from './seed';
import { summariesAfter } from '../reports/summaries-bulk';

/** [Arabic, Latin spellings (first is the usual one)] */
const WOMEN: [string, string[]][] = [
  ['فاطمة', ['Fatima', 'Fatma']], ['فاطمة الزهراء', ['Fatima Zahra', 'Fatimazahra', 'Fatima-Zahra']], ['خديجة', ['Khadija', 'Khadidja']],
  ['عائشة', ['Aicha', 'Aïcha']], ['زهرة', ['Zahra', 'Zohra']], ['نعيمة', ['Naima', 'Naïma']], ['مليكة', ['Malika']],
  ['سعيدة', ['Saida', 'Saïda']], ['حفيظة', ['Hafida']], ['لطيفة', ['Latifa']], ['كريمة', ['Karima']], ['رشيدة', ['Rachida']],
  ['نادية', ['Nadia']], ['سميرة', ['Samira']], ['حنان', ['Hanane', 'Hanan']], ['هدى', ['Houda', 'Huda']], ['مريم', ['Meryem', 'Meriem', 'Mariam']],
  ['زينب', ['Zineb', 'Zainab']], ['سلمى', ['Salma']], ['سناء', ['Sanaa', 'Sanae']], ['أسماء', ['Asmae', 'Asmaa']], ['هاجر', ['Hajar']],
  ['إيمان', ['Imane', 'Iman']], ['إكرام', ['Ikram']], ['سهام', ['Siham']], ['خولة', ['Khaoula']], ['وفاء', ['Wafae', 'Ouafae']],
  ['سكينة', ['Soukaina', 'Soukayna']], ['لبنى', ['Loubna']], ['ابتسام', ['Btissam', 'Ibtissam']], ['إلهام', ['Ilham']], ['أمينة', ['Amina']],
  ['حليمة', ['Halima']], ['رقية', ['Rkia', 'Rokia']], ['مينة', ['Mina']], ['إيطو', ['Itto']], ['تودة', ['Touda']], ['يامنة', ['Yamna']],
  ['حادة', ['Hadda']], ['مباركة', ['Mbarka']], ['عزيزة', ['Aziza']], ['جميلة', ['Jamila']], ['نجاة', ['Najat']], ['نزهة', ['Nezha']],
  ['بشرى', ['Bouchra']], ['غزلان', ['Ghizlane']], ['حسناء', ['Hasna']], ['كوثر', ['Kawtar', 'Kaoutar']], ['ليلى', ['Laila', 'Leila']],
  ['رجاء', ['Rajae']], ['سعاد', ['Souad']], ['وداد', ['Widad']], ['ياسمين', ['Yasmine']], ['زكية', ['Zakia']], ['حياة', ['Hayat']],
  ['سعدية', ['Saadia']], ['أميمة', ['Oumaima']], ['شيماء', ['Chaimae']], ['فدوى', ['Fadwa']], ['كنزة', ['Kenza']], ['ميمونة', ['Mimouna']],
  ['تميمونت', ['Tamimount']], ['ذهبية', ['Dahbia']], ['ربيعة', ['Rabia']], ['فوزية', ['Fouzia']], ['حكيمة', ['Hakima']], ['فتيحة', ['Fatiha']],
];
const MEN: [string, string[]][] = [
  ['محمد', ['Mohamed', 'Mohammed']], ['أحمد', ['Ahmed']], ['حميد', ['Hamid']], ['يوسف', ['Youssef']], ['حسن', ['Hassan']],
  ['لحسن', ['Lahcen']], ['مصطفى', ['Mustapha']], ['عمر', ['Omar']], ['إبراهيم', ['Brahim']], ['سعيد', ['Said']], ['رشيد', ['Rachid']],
  ['خالد', ['Khalid']], ['إدريس', ['Driss']], ['موحا', ['Moha']], ['حمو', ['Hammou']], ['عبد الله', ['Abdellah']], ['ياسين', ['Yassine']],
];
const FAMILIES: [string, string[]][] = [
  ['أيت علي', ['Ait Ali', 'Aït Ali']], ['أوحمو', ['Ouhammou']], ['الإدريسي', ['El Idrissi', 'Idrissi']], ['العلوي', ['Alaoui', 'El Alaoui']],
  ['أمزيان', ['Amziane']], ['أيت باها', ['Ait Baha']], ['أخياط', ['Akhiat']], ['بوطالب', ['Boutaleb']], ['الشرقاوي', ['Cherkaoui']],
  ['أوبلا', ['Oubella']], ['بنعلي', ['Benali']], ['الحسني', ['El Hassani']], ['أيت الحاج', ['Ait El Haj', 'Ait Lhaj']], ['أوعلي', ['Ouali']],
  ['أيت موسى', ['Ait Moussa']], ['أيت سعيد', ['Ait Said']], ['أيت حدو', ['Ait Haddou']], ['أوسعيد', ['Oussaid']], ['أمغار', ['Amghar']],
  ['أزناك', ['Aznag']], ['أيت أوسو', ['Ait Oussou']], ['الصديقي', ['Seddiki', 'Essedeqy']], ['الفيلالي', ['Filali', 'El Filali']],
  ['السجلماسي', ['Sijilmassi']], ['الرشيدي', ['Rachidi', 'Errachidi']], ['بوزيد', ['Bouzid']], ['الزياني', ['Zayani', 'Ezzayani']],
  ['أوشن', ['Ouchen']], ['إيدير', ['Idir']], ['أمهاوش', ['Amhaouch']], ['أحنصال', ['Ahansal']], ['الدرعي', ['Draoui', 'Eddraoui']],
  ['الزاكوري', ['Zagouri']], ['التنغيري', ['Tinghiri']], ['الورزازي', ['Ouarzazi']], ['بلحاج', ['Belhaj']], ['بنموسى', ['Benmoussa']],
  ['الناصري', ['Naciri', 'Nasiri']], ['الوزاني', ['Ouazzani']], ['الطاهري', ['Taheri']], ['العمراني', ['Amrani', 'El Amrani']],
  ['الكبير', ['Kabir', 'El Kabir']], ['المهدي', ['Mehdi', 'El Mehdi']], ['أيت عيسى', ['Ait Aissa']], ['أوبراهيم', ['Oubrahim']],
  ['أيت لحسن', ['Ait Lahcen']], ['حمداوي', ['Hamdaoui']], ['أيت بن حدو', ['Ait Benhaddou']], ['تاكني', ['Tagni']], ['إبورك', ['Ibourk']],
  ['أيت يحيى', ['Ait Yahia']], ['أوجانا', ['Oujana']], ['أزروال', ['Azerwal']], ['الحمري', ['Hamri']], ['بوعزة', ['Bouazza']],
];

/** Letter prefixes of the CIN by issuing office (unofficial map, NOTES §1), by province slug. */
const CIN_PREFIXES: Record<string, string[]> = {
  errachidia: ['U', 'UA', 'UB', 'UC', 'UD'],
  ouarzazate: ['P'],
  tinghir: ['PA'],
  zagora: ['PB'],
  midelt: ['VA'],
  region: ['U', 'UA', 'P', 'PA', 'PB', 'VA'],
};

/** Share of files at each step (the rest of the path is in status_history). */
const STATUS_WEIGHTS: [ApplicantStatus, number][] = [
  ['registered', 33], ['oriented', 14], ['preselected', 10], ['in_training', 9], ['trained', 7], ['in_incubation', 5],
  ['project_validated', 4], ['financed', 4], ['followed_up', 3], ['closed', 2], ['not_retained', 6], ['dropped_out', 3],
];

const SITUATIONS = ['violence_victim', 'widow', 'divorced', 'single_mother', 'abandoned', 'head_of_household', 'detainee_wife', 'precarity', 'neet'];
const DISABILITIES = ['motor', 'visual', 'hearing', 'speech', 'intellectual', 'psychic', 'autism', 'multiple'];
const SEVERITIES = ['light', 'moderate', 'severe', 'very_severe'] as const;
const EDUCATION = ['NONE', 'LITERACY', 'INFORMAL', 'PRIMAIRE', 'COLLEGE', 'LYCEE', 'BAC', 'SUP_BAC2', 'LICENCE', 'MASTER'];
const EDUCATION_W = [14, 10, 3, 20, 18, 12, 10, 6, 5, 2];
const VOCATIONAL = ['NONE', 'SPECIALISATION', 'QUALIFICATION', 'TECHNICIEN', 'TECHNICIEN_SPECIALISE'];
const VOCATIONAL_W = [60, 12, 14, 9, 5];
const MARITAL = ['single', 'married', 'divorced', 'widowed'];
const MARITAL_W = [40, 42, 11, 7];
const SECTORS = ['agriculture', 'agrifood', 'crafts', 'sewing', 'commerce', 'services', 'tourism', 'beauty', 'catering', 'digital', 'other'];
const SECTOR_W = [18, 16, 14, 14, 10, 6, 4, 7, 7, 2, 2];
const STAGES = ['idea', 'study', 'started', 'running'];
const FORMS = ['informal', 'auto_entrepreneur', 'cooperative', 'association', 'sarl'];
const FORM_W = [20, 30, 40, 6, 4];
const HEARD = ['association', 'entraide', 'authorities', 'social_media', 'radio_tv', 'word_of_mouth', 'platform', 'other'];
const DROP_REASONS = ['no_show', 'moved', 'family', 'health', 'employment', 'other'];
const NOT_RETAINED_REASONS = ['not_eligible', 'Dossier incomplet', 'Places limitées', 'خارج الفئة المستهدفة'];
const PROJECTS = [
  'تربية الماعز والأغنام', 'تثمين التمور', 'نسج الزرابي التقليدية', 'الخياطة والطرز', 'وحدة لإنتاج الكسكس',
  'Élevage caprin', 'Valorisation des dattes', 'Tissage de tapis', 'Couture et broderie', 'Unité de couscous',
  'Distillation de rose (Kalaat Mgouna)', 'Apiculture', 'Épicerie de quartier', 'Salon de coiffure', 'Pâtisserie traditionnelle',
];

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)];
}
function weighted<T>(rng: () => number, xs: readonly T[], ws: readonly number[]): T {
  const total = ws.reduce((a, b) => a + b, 0);
  let x = rng() * total;
  for (let i = 0; i < xs.length; i++) {
    x -= ws[i];
    if (x < 0) return xs[i];
  }
  return xs[xs.length - 1];
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUIDv7 for a seeded row: the row's own timestamp (so ids sort like the registrations) and bits from the seed's
 * PRNG (so a seeded database is reproducible). Same layout as uuidv7(): 48-bit ms, version 7, variant 10.
 */
export function seedUuid7(ms: number, rng: () => number): string {
  const t = Math.max(0, Math.floor(ms));
  const hi = Math.floor(t / 0x10000);
  const lo = t % 0x10000;
  const r = () => HEX[Math.floor(rng() * 256)];
  const ts = hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(4, '0');
  const v = (0x70 | Math.floor(rng() * 16)).toString(16) + r();
  const variant = HEX[0x80 | Math.floor(rng() * 64)] + r();
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-${v}-${variant}-${r()}${r()}${r()}${r()}${r()}${r()}`;
}
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export const applicantsSeeder: Seeder = summariesAfter({
  name: 'applicants',
  run(core, opts, rng) {
    const db = core.sqlite;
    const office = db.prepare('SELECT o.id, o.code, o.kind, o.province_code, o.slug FROM installation i JOIN offices o ON o.id = i.office_id').get() as
      | { id: string; code: string; kind: string; province_code: string | null; slug: string }
      | undefined;
    if (!office || opts.applicants <= 0) return { applicants: 0, statusHistory: 0 };
    const communes = (
      office.province_code
        ? db.prepare('SELECT code, population_2024 AS pop FROM communes WHERE province_code = ?').all(office.province_code)
        : db.prepare('SELECT code, population_2024 AS pop FROM communes').all()
    ) as { code: string; pop: number | null }[];
    const communeCodes = communes.map((c) => c.code);
    const communeW = communes.map((c) => Math.max(1000, c.pop ?? 5000));
    const consentVersion = (() => {
      const r = db.prepare("SELECT value FROM settings WHERE key = 'registry.consent_text_version'").get() as { value: string } | undefined;
      return r ? (JSON.parse(r.value) as string) : '2026-01';
    })();

    // Her row, her situations, disabilities and path through the applicants repository (the seed transaction's handle).
    const wdb = writable(db);
    const insChange = db.prepare('INSERT INTO change_log (entity, entity_id, op, office_id, at) VALUES (?, ?, ?, ?, ?)');
    const change = (entity: string, id: string, op: string, at: string) => Number(insChange.run(entity, id, op, office.id, at).lastInsertRowid);

    // Numbering continues after existing files (seeding twice adds more).
    const fileCounters = new Map<number, number>();
    const nextFileNo = (year: number) => {
      let n = fileCounters.get(year);
      if (n === undefined) {
        const prefix = `${office.code}-${year}-`;
        const last = db
          .prepare('SELECT file_no FROM applicants WHERE file_no >= ? AND file_no < ? ORDER BY file_no DESC LIMIT 1')
          .get(prefix, prefix + '\uffff') as { file_no: string } | undefined;
        n = last ? Number(last.file_no.slice(prefix.length)) : 0;
      }
      fileCounters.set(year, ++n);
      return `${office.code}-${year}-${pad(n, 6)}`;
    };
    const cins = new Set((db.prepare('SELECT cin FROM applicants WHERE cin IS NOT NULL').pluck().all() as string[]));
    const prefixes = CIN_PREFIXES[office.slug] ?? ['U'];
    const newCin = () => {
      for (;;) {
        const p = pick(rng, prefixes);
        const c = p + pad(Math.floor(rng() * 1e6), 6);
        if (!cins.has(c)) {
          cins.add(c);
          return c;
        }
      }
    };

    // Names repeat: their keys are computed once per combination.
    const keyCache = new Map<string, ReturnType<typeof applicantNameKeys>>();
    const nameKeys = (firstNameAr: string, lastNameAr: string, firstNameLat: string, lastNameLat: string) => {
      const k = `${firstNameAr}|${lastNameAr}|${firstNameLat}|${lastNameLat}`;
      let v = keyCache.get(k);
      if (!v) keyCache.set(k, (v = applicantNameKeys({ firstNameAr, lastNameAr, firstNameLat, lastNameLat })));
      return v;
    };
    // A big page cache for the length of the seed transaction.
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma('cache_size = -262144');
    // The search index is filled in one pass at the end: row by row, its trigger makes FTS5 flush a segment per row.
    // (DDL is transactional: if the seed fails, the trigger comes back with the rollback.)
    const searchTrigger = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'applicants_search_ai'").get() as
      | { sql: string }
      | undefined)?.sql;
    const searchFrom = (db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM applicant_search').get() as { n: number }).n;
    if (searchTrigger) db.exec('DROP TRIGGER applicants_search_ai');
    // Bulk load: secondary indexes are rebuilt once at the end rather than updated row by row
    // (every explicit index of the two tables, whichever migration made it; UNIQUE constraints stay).
    const indexes = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('applicants', 'status_history')")
      .all() as { name: string; sql: string }[];
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name.replace(/"/g, '""')}"`);

    const end = core.clock().getTime();
    const start = Date.UTC(2023, 4, 12); // the regional platform opened on 12 May 2023
    const span = Math.max(1, end - start);
    const DAY = 86400000;
    let history = 0;

    // Registration times in order, so that file numbers follow the calendar.
    const times = Array.from({ length: opts.applicants }, () => start + Math.floor(rng() * span * 0.97)).sort((a, b) => a - b);
    for (let i = 0; i < opts.applicants; i++) {
      const createdT = times[i];
      const created = new Date(createdT).toISOString();
      const createdDay = created.slice(0, 10);
      const hasDisability = rng() < 0.08;
      const male = hasDisability && rng() < 0.4;
      const [firstAr, firstLats] = pick(rng, male ? MEN : WOMEN);
      const [lastAr, lastLats] = pick(rng, FAMILIES);
      const firstLat = rng() < 0.8 ? firstLats[0] : pick(rng, firstLats);
      let lastLat = rng() < 0.8 ? lastLats[0] : pick(rng, lastLats);
      if (rng() < 0.15) lastLat = lastLat.toUpperCase();
      const age = 18 + Math.floor(rng() * 38);
      const birthT = createdT - age * 365.25 * DAY - Math.floor(rng() * 364) * DAY;
      const birthDate = isoDay(birthT);
      const keys = nameKeys(firstAr, lastAr, firstLat, lastLat);
      const status = weighted(rng, STATUS_WEIGHTS.map((s) => s[0]), STATUS_WEIGHTS.map((s) => s[1]));
      const difficult = !male && rng() < 0.35;
      const projectHolder = !male ? rng() < 0.75 : rng() < 0.4;
      const id = seedUuid7(createdT, rng);
      const cin = newCin();
      const phone = rng() < 0.88 ? `+212${rng() < 0.7 ? 6 : 7}${pad(Math.floor(rng() * 1e8), 8)}` : null;
      const year = Number(createdDay.slice(0, 4));

      // The path up to the current status, with dates after registration.
      const steps: { from: ApplicantStatus | null; to: ApplicantStatus; reason: string; source: string | null }[] = [
        { from: null, to: 'registered', reason: '', source: null },
      ];
      const exit = status === 'not_retained' || status === 'dropped_out';
      const target = exit ? STATUS_PATH[Math.floor(rng() * (status === 'not_retained' ? 3 : 7))] : status;
      const ti = STATUS_PATH.indexOf(target as (typeof STATUS_PATH)[number]);
      let financing: string | null = null;
      for (let k = 1; k <= ti; k++) {
        const to = STATUS_PATH[k];
        if (to === 'financed') financing = weighted(rng, ['programme', 'indh', 'intelaka', 'other'], [60, 20, 15, 5]);
        steps.push({ from: STATUS_PATH[k - 1], to, reason: '', source: to === 'financed' ? financing : null });
      }
      if (exit) {
        steps.push({
          from: target,
          to: status,
          reason: status === 'dropped_out' ? pick(rng, DROP_REASONS) : pick(rng, NOT_RETAINED_REASONS),
          source: null,
        });
      }
      const stepGap = Math.max(DAY, Math.floor((end - createdT) / (steps.length + 1)));
      const at: string[] = [created];
      let stepT = createdT;
      for (let k = 1; k < steps.length; k++) {
        stepT += Math.floor(stepGap * (0.5 + rng() * 0.5));
        at.push(new Date(stepT).toISOString());
      }
      const statusChangedAt = at[at.length - 1];

      // Her values as the registration takes them (the same draws, in the same order, as ever: the seed is
      // reproducible), then her row through the applicants feature's mapping.
      const phoneOwner = phone ? weighted(rng, ['self', 'spouse', 'parent', 'relative', 'other'] as const, [70, 14, 10, 4, 2]) : null;
      const address = rng() < 0.5 ? `دوار ${pick(rng, ['أيت', 'تيط', 'إغرم', 'أكدز', 'تازارين'])} ${1 + Math.floor(rng() * 40)}` : `Hay ${pick(rng, ['Al Massira', 'Ennahda', 'Al Wahda', 'Boutalamine', 'Oued Eddahab'])} n° ${1 + Math.floor(rng() * 300)}`;
      const douar = rng() < 0.4 ? pick(rng, ['Ksar Asrir', 'Ksar Tazgui', 'Douar Ait Atta', 'Ighrem', 'Taourirt', 'Tamegroute']) : '';
      const communeCode = weighted(rng, communeCodes, communeW);
      const educationLevel = weighted(rng, EDUCATION, EDUCATION_W);
      const vocationalLevel = weighted(rng, VOCATIONAL, VOCATIONAL_W);
      const maritalStatus = weighted(rng, MARITAL, MARITAL_W);
      const disabilitySeverity = hasDisability ? pick(rng, SEVERITIES) : null;
      const disabilityCardNumber = hasDisability && rng() < 0.4 ? `CH${pad(Math.floor(rng() * 1e7), 7)}` : null;
      const rsuRegistered = rng() < 0.55;
      const projectSector = projectHolder ? weighted(rng, SECTORS, SECTOR_W) : null;
      const projectDescription = projectHolder ? pick(rng, PROJECTS) : '';
      const projectStage = projectHolder ? pick(rng, STAGES) : null;
      const projectLegalForm = projectHolder ? weighted(rng, FORMS, FORM_W) : null;
      const heardFrom = pick(rng, HEARD);
      const consentChannel = rng() < 0.8 ? 'paper' : 'oral';
      const disabilityCardExpiry = hasDisability && disabilityCardNumber ? isoDay(createdT + Math.floor(rng() * 7 * 365) * DAY) : null;
      const rsuIndex = rsuRegistered && rng() < 0.5 ? Math.round(rng() * 900) / 100 : null;
      const situations: string[] = [];
      if (difficult) {
        const n = 1 + (rng() < 0.3 ? 1 : 0);
        const chosen = new Set<string>();
        while (chosen.size < n) chosen.add(pick(rng, SITUATIONS));
        situations.push(...chosen);
      }
      const disabilityTypes: string[] = [];
      if (hasDisability) {
        const n = 1 + (rng() < 0.2 ? 1 : 0);
        const chosen = new Set<string>();
        while (chosen.size < n) chosen.add(pick(rng, DISABILITIES));
        disabilityTypes.push(...chosen);
      }
      const values: ApplicantValues = {
        cin,
        idcs: null,
        firstNameAr: firstAr,
        lastNameAr: lastAr,
        firstNameLat: firstLat,
        lastNameLat: lastLat,
        sex: male ? 'M' : 'F',
        birthDate,
        phone,
        phoneOwner,
        address,
        douar,
        communeCode,
        educationLevel,
        vocationalLevel,
        maritalStatus,
        isProjectHolder: projectHolder,
        isDifficultSituation: difficult,
        situations,
        hasDisability,
        disabilityTypes,
        disabilitySeverity,
        disabilityCardNumber,
        disabilityCardExpiry,
        rsuRegistered,
        rsuIndex,
        projectSector,
        projectDescription,
        projectStage,
        projectLegalForm,
        heardFrom,
      };
      const row = newApplicantRow(
        values,
        {
          id,
          office_id: office.id,
          file_no: nextFileNo(year),
          consent_status: 'given',
          consent_date: createdDay,
          consent_text_version: consentVersion,
          consent_channel: consentChannel,
          status,
          status_changed_at: statusChangedAt,
          financing_source: financing as ApplicantRow['financing_source'],
          source: 'form',
          closed_at: status === 'closed' ? statusChangedAt : null,
          anonymised_at: null,
          created_by: 'seed',
          created_at: created,
          updated_at: statusChangedAt,
          change_seq: change('applicants', id, 'insert', created),
        },
        keys,
      );
      insertApplicant(wdb, row);
      if (situations.length) setSituations(wdb, id, situations);
      if (disabilityTypes.length) setDisabilities(wdb, id, disabilityTypes);
      for (let k = 0; k < steps.length; k++) {
        const hid = seedUuid7(Date.parse(at[k]), rng);
        const s = steps[k];
        insertStatusHistory(wdb, {
          id: hid,
          applicant_id: id,
          office_id: office.id,
          from_status: s.from,
          to_status: s.to,
          reason: s.reason,
          financing_source: s.source as StatusHistoryRow['financing_source'],
          at: at[k],
          user_id: null,
          user_name: k === 0 ? 'seed' : pick(rng, ['agent1', 'agent2', 'chef']),
          created_at: at[k],
          updated_at: at[k],
          change_seq: change('status_history', hid, 'insert', at[k]),
        });
        history++;
      }
    }
    for (const ix of indexes) db.exec(ix.sql);
    if (searchTrigger) {
      db.exec('INSERT INTO applicant_search (applicant_id) SELECT a.id FROM applicants a WHERE NOT EXISTS (SELECT 1 FROM applicant_search s WHERE s.applicant_id = a.id) ORDER BY a.rowid');
      db.prepare(
        `INSERT INTO applicants_fts (rowid, names)
         SELECT s.rowid, ${SEARCH_TEXT_SQL('a')} FROM applicant_search s JOIN applicants a ON a.id = s.applicant_id WHERE s.rowid > ?`,
      ).run(searchFrom);
      db.exec(searchTrigger);
    }
    db.pragma(`cache_size = ${Number(cacheSize)}`);
    return { applicants: opts.applicants, statusHistory: history };
  },
});

seeders.push(applicantsSeeder);
