import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Content, TableCell } from 'pdfmake/interfaces';
import type { ApplicantFile, LabelledCode } from '../../shared/api/applicants.contract';
import { formatDate, formatDateTime, formatNumber } from '../../shared/format';
import { fieldLabel } from '../../shared/i18n/applicant-edits';
import { actionLabel, auditFieldLabel, auditValue } from '../../shared/i18n/audit-words';
import { PROGRAMME_NAME } from '../../shared/i18n/glossary';
import { projectRoot } from '../paths';
import type { AccessRequestData } from './access-request';
import { hasArabic, renderPdf, rtl } from './pdf';
import { STATUS_LABELS } from '../reports/indicators';

/**
 * The access-request document handed to the person (law 09-08, issue 15): what the office holds about her, in
 * plain Arabic, then in plain French — the registration form's labels in the form's order, values in words
 * (yes/no, statuses, lists by their names), dates dd/mm/yyyy and times in local time, people by their names.
 * No column names, codes, identifiers or internal flags: the JSON export keeps the raw rows for the office.
 */
type Lang = 'ar' | 'fr';
type Pair = { ar: string; fr: string };

/** What the PDF reads beside the collected rows: her file as the form shows it, the names behind codes and accounts. */
export interface AccessRequestWords {
  file: ApplicantFile;
  /** username → the person's full name. */
  people: Map<string, string>;
  /** ref_items kind 'topic' and 'drop_reason': code → names. */
  refs: Map<string, Pair>;
}

const W = {
  title: { ar: 'طلب الولوج إلى المعطيات الشخصية (القانون 09.08)', fr: 'Demande d’accès aux données personnelles (loi 09-08)' },
  intro: {
    ar: 'هذه كل المعطيات التي يتوفر عليها المكتب بشأنك في إطار برنامج «{{p}}»، بترتيب استمارة التسجيل.',
    fr: 'Voici toutes les données que le bureau détient à votre sujet dans le cadre du programme « {{p}} », dans l’ordre du formulaire d’inscription.',
  },
  date: { ar: 'تاريخ الوثيقة', fr: 'Date du document' },
  fileNo: { ar: 'رقم الملف', fr: 'N° de dossier' },
  sFile: { ar: 'استمارة التسجيل', fr: 'Fiche d’inscription' },
  sConsent: { ar: 'الموافقة على معالجة المعطيات', fr: 'Consentement au traitement des données' },
  sFollow: { ar: 'ملفك في البرنامج', fr: 'Votre dossier dans le programme' },
  sPath: { ar: 'مسار الملف', fr: 'Parcours du dossier' },
  sCohorts: { ar: 'الأفواج', fr: 'Cohortes' },
  sSessions: { ar: 'حصص التكوين', fr: 'Séances de formation' },
  sMentoring: { ar: 'المواكبة الفردية', fr: 'Accompagnement individuel' },
  sPlan: { ar: 'مخطط الأعمال', fr: 'Plan d’affaires' },
  sAttestations: { ar: 'الشهادات', fr: 'Attestations' },
  sDuplicates: { ar: 'التحقق من التكرار', fr: 'Vérification des doublons' },
  sAudit: { ar: 'العمليات المسجلة على ملفك', fr: 'Opérations enregistrées sur votre dossier' },
  none: { ar: 'لا شيء', fr: 'Aucune' },
  yes: { ar: 'نعم', fr: 'Oui' },
  no: { ar: 'لا', fr: 'Non' },
  empty: { ar: '—', fr: '—' },
  consentGiven: { ar: 'الموافقة', fr: 'Consentement' },
  consentDate: { ar: 'تاريخ الموافقة', fr: 'Date du consentement' },
  consentChannel: { ar: 'طريقة الموافقة', fr: 'Mode du consentement' },
  consentVersion: { ar: 'إصدار نص الموافقة', fr: 'Version du texte de consentement' },
  registeredOn: { ar: 'تاريخ التسجيل', fr: 'Inscrite le' },
  status: { ar: 'الوضعية', fr: 'Statut' },
  statusSince: { ar: 'منذ', fr: 'depuis le' },
  financing: { ar: 'مصدر التمويل', fr: 'Source de financement' },
  closedOn: { ar: 'تاريخ الإغلاق', fr: 'Clôturé le' },
  colDate: { ar: 'التاريخ', fr: 'Date' },
  colStatus: { ar: 'الوضعية', fr: 'Statut' },
  colReason: { ar: 'السبب', fr: 'Motif' },
  colBy: { ar: 'بواسطة', fr: 'Par' },
  colCohort: { ar: 'الفوج', fr: 'Cohorte' },
  colPeriod: { ar: 'الفترة', fr: 'Période' },
  colPlace: { ar: 'المكان', fr: 'Lieu' },
  colEnrolled: { ar: 'تاريخ التسجيل في الفوج', fr: 'Inscrite le' },
  colWithdrawn: { ar: 'تاريخ الانسحاب', fr: 'Retirée le' },
  colTopic: { ar: 'المحور', fr: 'Thème' },
  colKind: { ar: 'النوع', fr: 'Type' },
  colPresence: { ar: 'الحضور', fr: 'Présence' },
  colDuration: { ar: 'المدة', fr: 'Durée' },
  colNotes: { ar: 'ملاحظات', fr: 'Notes' },
  colNext: { ar: 'الخطوات المقبلة', fr: 'Prochaines étapes' },
  colAttestation: { ar: 'الشهادة', fr: 'Attestation' },
  colNumber: { ar: 'الرقم', fr: 'Numéro' },
  colState: { ar: 'الحالة', fr: 'État' },
  colAction: { ar: 'العملية', fr: 'Opération' },
  colChanges: { ar: 'ما تغير', fr: 'Modifications' },
  valid: { ar: 'صالحة', fr: 'Valide' },
  revoked: { ar: 'ملغاة', fr: 'Annulée' },
  distinct: {
    ar: 'تحقق المكتب من أن ملفك وملفا آخر يخصان شخصين مختلفين.',
    fr: 'Le bureau a vérifié que votre dossier et un autre dossier concernent deux personnes différentes.',
  },
  same: { ar: 'تحقق المكتب من أن ملفك وملفا آخر يخصان نفس الشخص.', fr: 'Le bureau a vérifié que votre dossier et un autre dossier concernent la même personne.' },
  minutes: { ar: '{{n}} دقيقة', fr: '{{n}} minutes' },
} satisfies Record<string, Pair>;

const SEX: Record<string, Pair> = { F: { ar: 'أنثى', fr: 'Femme' }, M: { ar: 'ذكر', fr: 'Homme' } };
const PHONE_OWNER: Record<string, Pair> = {
  self: { ar: 'هاتفها الشخصي', fr: 'Le sien' },
  spouse: { ar: 'الزوج', fr: 'Conjoint' },
  parent: { ar: 'أحد الوالدين', fr: 'Parent' },
  relative: { ar: 'قريب', fr: 'Proche' },
  other: { ar: 'آخر', fr: 'Autre' },
};
const SEVERITY: Record<string, Pair> = {
  light: { ar: 'خفيفة', fr: 'Légère' },
  moderate: { ar: 'متوسطة', fr: 'Moyenne' },
  severe: { ar: 'عميقة', fr: 'Sévère' },
  very_severe: { ar: 'عميقة جدا', fr: 'Très sévère' },
};
const CHANNEL: Record<string, Pair> = { paper: { ar: 'ورقي موقع', fr: 'Papier signé' }, oral: { ar: 'شفوي', fr: 'Oral' }, electronic: { ar: 'إلكتروني', fr: 'Électronique' } };
const CONSENT: Record<string, Pair> = { given: { ar: 'تمت الموافقة', fr: 'Donné' }, to_confirm: { ar: 'يجب تأكيدها', fr: 'À confirmer' }, refused: { ar: 'رفض', fr: 'Refusé' } };
const FINANCING: Record<string, Pair> = {
  programme: { ar: 'البرنامج', fr: 'Programme' },
  indh: { ar: 'المبادرة الوطنية للتنمية البشرية', fr: 'INDH' },
  intelaka: { ar: 'انطلاقة', fr: 'Intelaka' },
  other: { ar: 'مصدر آخر', fr: 'Autre source' },
};
// The statuses in words: the reports' own labels (one table, shared with the workbooks).
const STATUS: Record<string, Pair> = STATUS_LABELS;
const PRESENCE: Record<string, Pair> = { present: { ar: 'حاضرة', fr: 'Présente' }, absent: { ar: 'غائبة', fr: 'Absente' }, excused: { ar: 'غياب مبرر', fr: 'Excusée' } };
const SESSION_KIND: Record<string, Pair> = {
  group_training: { ar: 'تكوين جماعي', fr: 'Formation en groupe' },
  mentoring: { ar: 'مواكبة فردية', fr: 'Accompagnement individuel' },
  workshop: { ar: 'ورشة', fr: 'Atelier' },
  field_visit: { ar: 'زيارة ميدانية', fr: 'Visite de terrain' },
};
const PLAN: Record<string, Pair> = { not_started: { ar: 'لم يبدأ', fr: 'Pas commencé' }, draft: { ar: 'قيد الإعداد', fr: 'En préparation' }, validated: { ar: 'مصادق عليه', fr: 'Validé' } };

/** The registration form's fields, in its order (consent comes first, on its own). */
const FORM_ORDER = [
  'cin', 'idcs', 'sex', 'firstNameAr', 'lastNameAr', 'birthDate', 'firstNameLat', 'lastNameLat', 'phone', 'phoneOwner', 'address', 'douar',
  'communeCode', 'educationLevel', 'vocationalLevel', 'maritalStatus', 'isProjectHolder', 'isDifficultSituation', 'situations', 'hasDisability',
  'disabilityTypes', 'disabilitySeverity', 'disabilityCardNumber', 'disabilityCardExpiry', 'rsuRegistered', 'rsuIndex', 'projectSector',
  'projectDescription', 'projectStage', 'projectLegalForm', 'heardFrom',
] as const;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');

function kindLabel(kind: string): Pair {
  const p = join(projectRoot(), 'templates', 'attestations', 'kinds', kind, 'kind.json');
  if (/^[a-z_]+$/.test(kind) && existsSync(p)) {
    const k = JSON.parse(readFileSync(p, 'utf8')) as { labelAr?: string; labelFr?: string };
    if (k.labelAr && k.labelFr) return { ar: k.labelAr, fr: k.labelFr };
  }
  return { ar: 'شهادة', fr: 'Attestation' };
}

/** One language's words for the values of the file. */
function fileValue(f: ApplicantFile, k: (typeof FORM_ORDER)[number], lang: Lang): string {
  const yes = (b: boolean | null) => (b === null ? W.empty[lang] : b ? W.yes[lang] : W.no[lang]);
  const ref = (r: LabelledCode | null) => (r ? (lang === 'ar' ? r.labelAr : r.labelFr) : W.empty[lang]);
  const list = (rs: LabelledCode[] | null) => (rs && rs.length ? rs.map((r) => (lang === 'ar' ? r.labelAr : r.labelFr)).join(lang === 'ar' ? '، ' : ', ') : W.empty[lang]);
  const word = (table: Record<string, Pair>, v: string | null) => (v ? (table[v]?.[lang] ?? W.empty[lang]) : W.empty[lang]);
  switch (k) {
    case 'sex':
      return word(SEX, f.sex);
    case 'birthDate':
    case 'disabilityCardExpiry':
      return f[k] ? formatDate(f[k]) : W.empty[lang];
    case 'phoneOwner':
      return word(PHONE_OWNER, f.phoneOwner);
    case 'communeCode':
      return f.commune ? (lang === 'ar' ? f.commune.nameAr : f.commune.nameFr) : W.empty[lang];
    case 'educationLevel':
    case 'vocationalLevel':
    case 'maritalStatus':
    case 'projectSector':
    case 'projectStage':
    case 'projectLegalForm':
    case 'heardFrom':
      return ref(f[k]);
    case 'situations':
    case 'disabilityTypes':
      return list(f[k]);
    case 'isProjectHolder':
    case 'isDifficultSituation':
    case 'hasDisability':
    case 'rsuRegistered':
      return yes(f[k]);
    case 'disabilitySeverity':
      return word(SEVERITY, f.disabilitySeverity);
    case 'rsuIndex':
      return f.rsuIndex === null ? W.empty[lang] : formatNumber(f.rsuIndex, lang);
    default:
      return str(f[k]).trim() || W.empty[lang];
  }
}

/** The words of the whole document in one language: sections of [label, value] rows and tables. */
type Block = { title: string; rows?: [string, string][]; table?: { head: string[]; widths: (number | string)[]; body: string[][] }; text?: string };

function blocks(d: AccessRequestData, w: AccessRequestWords, lang: Lang): Block[] {
  const f = w.file;
  const L = (p: Pair) => p[lang];
  const person = (u: string | null | undefined) => (u ? (w.people.get(u) ?? u) : W.empty[lang]);
  const out: Block[] = [];

  out.push({
    title: L(W.sConsent),
    rows: [
      [L(W.consentGiven), CONSENT[f.consent.status]?.[lang] ?? W.empty[lang]],
      [L(W.consentDate), f.consent.date ? formatDate(f.consent.date) : W.empty[lang]],
      [L(W.consentChannel), f.consent.channel ? (CHANNEL[f.consent.channel]?.[lang] ?? W.empty[lang]) : W.empty[lang]],
      [L(W.consentVersion), f.consent.textVersion ?? W.empty[lang]],
    ],
  });
  out.push({ title: L(W.sFile), rows: FORM_ORDER.map((k) => [fieldLabel(k, lang) ?? k, fileValue(f, k, lang)]) });
  out.push({
    title: L(W.sFollow),
    rows: [
      [L(W.fileNo), f.fileNo],
      [L(W.registeredOn), formatDate(f.createdAt)],
      [L(W.status), `${STATUS[f.status]?.[lang] ?? W.empty[lang]} (${L(W.statusSince)} ${formatDate(f.statusChangedAt)})`],
      ...(f.financingSource ? [[L(W.financing), FINANCING[f.financingSource]?.[lang] ?? W.empty[lang]] as [string, string]] : []),
      ...(f.closedAt ? [[L(W.closedOn), formatDate(f.closedAt)] as [string, string]] : []),
    ],
  });
  out.push({
    title: L(W.sPath),
    table: {
      head: [L(W.colDate), L(W.colStatus), L(W.colReason), L(W.colBy)],
      widths: [60, 90, '*', 90],
      body: f.statusHistory.map((h) => [
        formatDate(h.at),
        STATUS[h.to]?.[lang] ?? W.empty[lang],
        [h.reason, h.financingSource ? (FINANCING[h.financingSource]?.[lang] ?? '') : ''].filter(Boolean).join(' — ') || W.empty[lang],
        person(h.userName),
      ]),
    },
  });

  const cohorts = new Map((d.context.cohorts ?? []).map((c) => [str(c.id), c]));
  const members = d.related.cohort_members ?? [];
  if (members.length) {
    out.push({
      title: L(W.sCohorts),
      table: {
        head: [L(W.colCohort), L(W.colPeriod), L(W.colPlace), L(W.colEnrolled), L(W.colWithdrawn)],
        widths: ['*', 110, 80, 60, 60],
        body: members.map((m) => {
          const c = cohorts.get(str(m.cohort_id));
          const period = c ? [c.start_date, c.end_date].filter(Boolean).map((x) => formatDate(str(x))).join(' – ') : W.empty[lang];
          return [str(c?.name) || W.empty[lang], period, str(c?.place) || W.empty[lang], formatDate(str(m.enrolled_at)), m.withdrawn_at ? formatDate(str(m.withdrawn_at)) : W.empty[lang]];
        }),
      },
    });
  }
  const sessions = new Map((d.context.training_sessions ?? []).map((s) => [str(s.id), s]));
  const topic = (code: unknown) => (code ? (w.refs.get(str(code))?.[lang] ?? W.empty[lang]) : W.empty[lang]);
  const minutes = (n: unknown) => (typeof n === 'number' && n > 0 ? fill(W.minutes[lang], { n: String(n) }) : W.empty[lang]);
  const attendance = (d.related.attendance ?? [])
    .map((a) => ({ a, s: sessions.get(str(a.session_id)) }))
    .sort((x, y) => str(x.s?.date).localeCompare(str(y.s?.date)));
  if (attendance.length) {
    out.push({
      title: L(W.sSessions),
      table: {
        head: [L(W.colDate), L(W.colKind), L(W.colTopic), L(W.colDuration), L(W.colPresence)],
        widths: [60, 90, '*', 60, 70],
        body: attendance.map(({ a, s }) => [
          s ? formatDate(str(s.date)) : W.empty[lang],
          s ? (SESSION_KIND[str(s.kind)]?.[lang] ?? W.empty[lang]) : W.empty[lang],
          topic(s?.topic_code),
          minutes(s?.duration_min),
          PRESENCE[str(a.status)]?.[lang] ?? W.empty[lang],
        ]),
      },
    });
  }
  const mentoring = d.related.training_sessions ?? [];
  if (mentoring.length) {
    out.push({
      title: L(W.sMentoring),
      table: {
        head: [L(W.colDate), L(W.colTopic), L(W.colDuration), L(W.colNotes), L(W.colNext)],
        widths: [60, 90, 60, '*', '*'],
        body: mentoring.map((s) => [formatDate(str(s.date)), topic(s.topic_code), minutes(s.duration_min), str(s.notes) || W.empty[lang], str(s.next_steps) || W.empty[lang]]),
      },
    });
  }
  const plan = d.related.business_plans?.[0];
  if (plan) {
    out.push({
      title: L(W.sPlan),
      rows: [
        [L(W.colState), PLAN[str(plan.status)]?.[lang] ?? W.empty[lang]],
        ...(plan.validated_at ? [[L(W.colDate), formatDate(str(plan.validated_at))] as [string, string]] : []),
        ...(str(plan.note) ? [[L(W.colNotes), str(plan.note)] as [string, string]] : []),
      ],
    });
  }
  const attestations = d.related.attestations ?? [];
  if (attestations.length) {
    out.push({
      title: L(W.sAttestations),
      table: {
        head: [L(W.colAttestation), L(W.colNumber), L(W.colDate), L(W.colState)],
        widths: ['*', 110, 60, 70],
        body: attestations.map((a) => [
          kindLabel(str(a.kind))[lang],
          str(a.serial),
          formatDate(str(a.issue_date)),
          a.status === 'revoked' ? `${L(W.revoked)} (${formatDate(str(a.revoked_at))})` : L(W.valid),
        ]),
      },
    });
  }
  const decisions = d.related.duplicate_decisions ?? [];
  if (decisions.length) {
    out.push({ title: L(W.sDuplicates), rows: decisions.map((x) => [formatDate(str(x.at)), x.decision === 'same' ? L(W.same) : L(W.distinct)]) });
  }
  out.push({
    title: `${L(W.sAudit)} (${d.audit.length})`,
    table: {
      head: [L(W.colDate), L(W.colBy), L(W.colAction), L(W.colChanges)],
      widths: [75, 80, 110, '*'],
      body: d.audit.map((a) => {
        const changes = Object.entries((a.changes ?? {}) as Record<string, unknown>)
          .map(([k, v]) => {
            const label = auditFieldLabel(k, lang);
            if (!label) return null;
            if (!Array.isArray(v) || v.length !== 2) return label;
            const [from, to] = [auditValue(v[0], lang, k), auditValue(v[1], lang, k)];
            if (from === null || to === null) return label;
            return lang === 'ar' ? `${label}: من «${from}» إلى «${to}»` : `${label} : de « ${from} » à « ${to} »`;
          })
          .filter((x): x is string => x !== null);
        return [formatDateTime(a.at), person(a.actor), actionLabel(a.method, lang), changes.join(lang === 'ar' ? '؛ ' : ' ; ') || W.empty[lang]];
      }),
    },
  });
  return out;
}

function part(d: AccessRequestData, w: AccessRequestWords, lang: Lang): Content[] {
  const ar = lang === 'ar';
  const txt = (s: string, opts: Record<string, unknown> = {}): Content =>
    (ar ? { text: rtl(s), alignment: 'right', ...opts } : { text: s, ...opts }) as Content;
  // A cell: right-aligned in the Arabic part; Arabic words (her name) drawn in visual order in both parts.
  const c = (s: string, opts: Record<string, unknown> = {}): TableCell =>
    ({ text: hasArabic(s) ? rtl(s) : s, ...(ar ? { alignment: 'right' } : {}), ...opts }) as TableCell;
  /** A right-to-left table: the first column on the right. */
  const row = (cells: TableCell[]) => (ar ? [...cells].reverse() : cells);
  const widths = (ws: (number | string)[]) => (ar ? [...ws].reverse() : ws);
  const out: Content[] = [
    txt(W.title[lang], { fontSize: 15, bold: true, margin: [0, 0, 0, 4] }),
    txt(ar ? d.office.nameAr : d.office.nameFr, { margin: [0, 0, 0, 2] }),
    txt(`${W.date[lang]}: ${formatDate(d.generatedAt)}`),
    txt(`${W.fileNo[lang]}: ${d.subject.fileNo}`, { margin: [0, 0, 0, 6] }),
    txt(fill(W.intro[lang], { p: PROGRAMME_NAME[lang] }), { margin: [0, 0, 0, 8] }),
  ];
  for (const b of blocks(d, w, lang)) {
    out.push(txt(b.title, { bold: true, fontSize: 12, margin: [0, 8, 0, 2] }));
    if (b.rows) {
      out.push({
        table: { widths: widths([170, '*']), body: b.rows.map(([l, v]) => row([c(l, { bold: true }), c(v)])) },
        layout: LINES,
      } as Content);
    }
    if (b.table) {
      if (!b.table.body.length) out.push(txt(W.none[lang], { color: '#555555' }));
      else
        out.push({
          table: { headerRows: 1, widths: widths(b.table.widths), body: [row(b.table.head.map((h) => c(h, { bold: true }))), ...b.table.body.map((r) => row(r.map((x) => c(x))))] },
          layout: LINES,
        } as Content);
    }
  }
  return out;
}

/** Thin grey lines between rows, a darker one under a table's head. */
const LINES = {
  hLineWidth: (i: number, node: { table: { headerRows?: number; body: unknown[] } }) => (i === 0 || i === node.table.body.length ? 0 : i === node.table.headerRows ? 1 : 0.5),
  vLineWidth: () => 0,
  hLineColor: (i: number, node: { table: { headerRows?: number } }) => (i === node.table.headerRows ? '#555555' : '#cccccc'),
  paddingTop: () => 2,
  paddingBottom: () => 2,
};

/** The document: Arabic first, then French on a new page. */
export async function accessRequestPdf(d: AccessRequestData, w: AccessRequestWords): Promise<Buffer> {
  const fr = part(d, w, 'fr');
  (fr[0] as { pageBreak?: string }).pageBreak = 'before';
  return renderPdf({
    info: { title: `${W.title.fr} — ${d.subject.fileNo}` },
    pageMargins: [36, 36, 36, 36],
    content: [...part(d, w, 'ar'), ...fr],
  });
}
