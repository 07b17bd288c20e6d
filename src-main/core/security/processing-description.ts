import { localDate } from '../../shared/time';
import type { Content } from 'pdfmake/interfaces';
import type { Handlers } from '../handler-types';
import type { Sqlite } from '../db/connection';
import { connectionOf, readable } from '../db/handles';
import type { Office } from '../db/schema';
import { columnsOf, userTables } from './repo/linked-tables.repo';
import { readBackupConfig } from './backup';
import { retentionYears } from './retention';
import { cell, renderPdf, rtl } from './pdf';

/**
 * The processing description for the CNDP declaration (law 09-08), generated from the live schema:
 * every table and column is read from sqlite_master / pragma table_info and classified with the mapping
 * below. A column the mapping does not know is listed as `unclassified`, so a new field added by a
 * feature shows up in the document (and in a test) instead of being silently left out.
 */
export type DataClass = 'identity' | 'contact' | 'sensitive_health' | 'sensitive_other' | 'programme' | 'staff' | 'security' | 'technical' | 'reference';

export const CLASS_LABELS: Record<DataClass, { fr: string; ar: string }> = {
  identity: { fr: 'Identification', ar: 'معطيات التعريف' },
  contact: { fr: 'Coordonnées', ar: 'معطيات الاتصال' },
  sensitive_health: { fr: 'Données sensibles : santé (handicap)', ar: 'معطيات حساسة: الصحة (الإعاقة)' },
  sensitive_other: { fr: 'Données sensibles : situation sociale (violence, détention…)', ar: 'معطيات حساسة: الوضعية الاجتماعية' },
  programme: { fr: 'Suivi du programme (parcours, formation, projet)', ar: 'تتبع البرنامج' },
  staff: { fr: 'Comptes du personnel', ar: 'حسابات المستخدمين' },
  security: { fr: 'Sécurité et traçabilité', ar: 'الأمن والتتبع' },
  technical: { fr: 'Technique (identifiants, dates, synchronisation)', ar: 'معطيات تقنية' },
  reference: { fr: 'Référentiels (sans donnée personnelle)', ar: 'مراجع (بدون معطيات شخصية)' },
};

/** Tables without personal data about anyone. */
const REFERENCE_TABLES = new Set(['regions', 'provinces', 'communes', 'ref_items', 'schema_migrations', 'sqlite_sequence', 'settings', 'offices', 'change_log', 'topics', 'session_topics']);
/** Tables of the security machinery. */
const SECURITY_TABLES = new Set(['audit_log', 'audit_anchors', 'installation', 'backup_runs', 'retention_runs', 'exchange_own_keys', 'exchange_region_keys']);

const COLUMN_RULES: [RegExp, DataClass][] = [
  [/^(id|rowid|office_id|created_at|updated_at|change_seq|created_by|source|file_seq|prev_file_seq)$/, 'technical'],
  [/_id$/, 'technical'],
  [/^(has_disability|disability_.*|health.*)$/, 'sensitive_health'],
  [/^(is_difficult_situation|rsu_index|violence.*)$/, 'sensitive_other'],
  [/^(cin|idcs|first_name.*|last_name.*|full_name|name_key.*|name_skel|birth_date|sex|file_no|cin_format_ok)$/, 'identity'],
  [/^(phone|phone_owner|address|douar|commune_code)$/, 'contact'],
];

/** Per table overrides (table.column → class). */
const OVERRIDES: Record<string, DataClass> = {
  'applicant_disabilities.code': 'sensitive_health',
  'applicant_situations.code': 'sensitive_other',
  'exchange_cin_aside.cin': 'identity',
  'attestations.content_json': 'identity',
  'attestations.qr_text': 'identity',
  'users.username': 'staff',
  'users.display_name': 'staff',
  'users.password_hash': 'security',
  'users.role': 'staff',
  'users.language': 'staff',
  'users.active': 'staff',
  'users.failed_attempts': 'security',
  'users.locked_until': 'security',
  'users.must_change_password': 'security',
  'facilitators.full_name': 'identity',
  'facilitators.phone': 'contact',
  'organisations.phone': 'contact',
  'organisations.address': 'contact',
};

export function classifyColumn(table: string, column: string): DataClass | 'unclassified' {
  const o = OVERRIDES[`${table}.${column}`];
  if (o) return o;
  if (REFERENCE_TABLES.has(table)) return 'reference';
  // Full-text search indexes (and their shadow tables) hold the names they index.
  if (/_fts($|_)/.test(table)) return 'identity';
  if (SECURITY_TABLES.has(table)) return 'security';
  for (const [re, cls] of COLUMN_RULES) if (re.test(column)) return cls;
  if (table === 'users') return 'staff';
  // The rest of the registry and of the sessions/attestations/exchange features is programme follow-up.
  if (/^(applicants|status_history|duplicate_decisions|cohort|cohorts|cohort_members|training_sessions|attendance|business_plans|attestation|exchange_|organisations|facilitators|import|report)/.test(table)) return 'programme';
  return 'unclassified';
}

export interface ProcessingDescription {
  generatedAt: string;
  controller: { office: string; officeAr: string; note: string };
  purposes: { fr: string; ar: string }[];
  dataSubjects: { fr: string; ar: string }[];
  categories: { class: DataClass | 'unclassified'; label: { fr: string; ar: string }; columns: string[] }[];
  tables: { table: string; columns: { name: string; type: string; class: DataClass | 'unclassified' }[] }[];
  recipients: { fr: string; ar: string }[];
  retention: { closedFilesYears: number; backupsKept: number; fr: string[]; ar: string[] };
  security: { fr: string; ar: string }[];
  transfersAbroad: { fr: string; ar: string };
  unclassified: string[];
}

export function describeProcessing(sqlite: Sqlite, office: Office, now: string): ProcessingDescription {
  const tables = userTables(sqlite).map((t) => ({
    table: t,
    columns: columnsOf(sqlite, t).map((c) => ({ name: c.name, type: c.type, class: classifyColumn(t, c.name) })),
  }));
  const byClass = new Map<DataClass | 'unclassified', string[]>();
  for (const t of tables) for (const c of t.columns) byClass.set(c.class, [...(byClass.get(c.class) ?? []), `${t.table}.${c.name}`]);
  const order: (DataClass | 'unclassified')[] = ['identity', 'contact', 'sensitive_health', 'sensitive_other', 'programme', 'staff', 'security', 'technical', 'reference', 'unclassified'];
  const years = retentionYears(readable(sqlite));
  const keep = readBackupConfig(readable(sqlite)).keep;
  return {
    generatedAt: now,
    controller: {
      office: office.name_fr,
      officeAr: office.name_ar,
      note: 'Responsable du traitement : le ministère / l’ADS (à confirmer) ; traitement opéré par ce bureau.',
    },
    purposes: [
      { fr: 'Enregistrement et orientation des candidates au programme Jisr', ar: 'تسجيل وتوجيه المرشحات لبرنامج جسر' },
      { fr: 'Suivi du parcours : formation, accompagnement, incubation, financement', ar: 'تتبع المسار: التكوين والمواكبة والاحتضان والتمويل' },
      { fr: 'Délivrance d’attestations', ar: 'تسليم الشهادات' },
      { fr: 'Statistiques agrégées pour le pilotage provincial et régional', ar: 'إحصائيات مجمعة لقيادة البرنامج إقليميا وجهويا' },
    ],
    dataSubjects: [
      { fr: 'Candidates et bénéficiaires (femmes en situation de vulnérabilité, porteuses de projet)', ar: 'المرشحات والمستفيدات' },
      { fr: 'Personnel du bureau (comptes utilisateurs)', ar: 'موظفو المكتب' },
      { fr: 'Formateurs et associations partenaires', ar: 'المؤطرون والجمعيات الشريكة' },
    ],
    categories: order
      .filter((c) => byClass.has(c))
      .map((c) => ({ class: c, label: c === 'unclassified' ? { fr: 'Non classé (à revoir)', ar: 'غير مصنف' } : CLASS_LABELS[c], columns: byClass.get(c)! })),
    tables,
    recipients: [
      { fr: 'Agents du bureau (saisie, séances) — sans accès aux exports', ar: 'أعوان المكتب' },
      { fr: 'Chef(fe) de bureau (attestations, exports, comptes, journal d’audit)', ar: 'رئيس(ة) المكتب' },
      { fr: 'Coordination régionale : fichiers d’échange chiffrés et signés ; lecture seule ; sans les champs sensibles', ar: 'التنسيقية الجهوية: ملفات تبادل مشفرة وموقعة' },
    ],
    retention: {
      closedFilesYears: years,
      backupsKept: keep,
      fr: [
        `Dossiers clôturés (clôturé, non retenu, abandon) : anonymisés ${years} ans après la clôture ; les statistiques sont conservées.`,
        `Sauvegardes chiffrées : les ${keep} plus récentes sont gardées, les plus anciennes supprimées.`,
        'Journal d’audit : conservé (preuve des traitements) ; il garde les valeurs modifiées.',
      ],
      ar: [
        `الملفات المغلقة: إخفاء الهوية بعد ${years} سنوات من الإغلاق مع الاحتفاظ بالإحصائيات.`,
        `النسخ الاحتياطية المشفرة: يحتفظ بآخر ${keep} نسخة.`,
        'سجل التتبع: يحتفظ به كدليل على المعالجات.',
      ],
    },
    security: [
      { fr: 'Contrôle d’accès par rôle vérifié par le noyau à chaque appel (fenêtre, pont web, CLI)', ar: 'مراقبة الولوج حسب الدور عند كل عملية' },
      { fr: 'Mots de passe hachés (scrypt), politique de mot de passe, verrouillage après 5 échecs (15 min), verrouillage de l’écran', ar: 'كلمات مرور مشفرة وقفل الحساب بعد 5 محاولات فاشلة' },
      { fr: 'Journal d’audit append-only chaîné par hachage (SHA-256), vérifiable (`audit verify`)', ar: 'سجل تتبع متسلسل غير قابل للتعديل' },
      { fr: 'Sauvegardes chiffrées (scrypt + AES-256-GCM) sur support choisi, rotation, restauration vérifiée', ar: 'نسخ احتياطية مشفرة' },
      { fr: 'Champs sensibles (handicap, violence) masqués aux rôles qui n’en ont pas besoin', ar: 'إخفاء المعطيات الحساسة عن الأدوار التي لا تحتاجها' },
      { fr: 'Fichiers d’échange chiffrés pour la région et signés (Ed25519)', ar: 'ملفات التبادل مشفرة وموقعة' },
      { fr: 'Stockage local au bureau ; pont web limité à la boucle locale', ar: 'تخزين محلي بالمكتب' },
    ],
    transfersAbroad: { fr: 'Aucun transfert hors du Maroc ; pas d’hébergement en nuage.', ar: 'لا يوجد أي نقل للمعطيات خارج المغرب.' },
    unclassified: byClass.get('unclassified') ?? [],
  };
}

export function processingMarkdown(d: ProcessingDescription): string {
  const L: string[] = [];
  L.push(`# Description du traitement — déclaration CNDP (loi 09-08)`, `# وصف المعالجة — التصريح لدى اللجنة الوطنية لمراقبة حماية المعطيات ذات الطابع الشخصي`, '');
  L.push(`Généré le ${d.generatedAt} — ${d.controller.office} / ${d.controller.officeAr}`, '', `> ${d.controller.note}`, '');
  const list = (title: string, items: { fr: string; ar: string }[]) => {
    L.push(`## ${title}`, '');
    for (const i of items) L.push(`- ${i.fr} — ${i.ar}`);
    L.push('');
  };
  list('Finalités / الأغراض', d.purposes);
  list('Personnes concernées / الأشخاص المعنيون', d.dataSubjects);
  L.push('## Catégories de données / فئات المعطيات', '');
  for (const c of d.categories) {
    if (c.class === 'technical' || c.class === 'reference') {
      L.push(`### ${c.label.fr} — ${c.label.ar}`, '', `${c.columns.length} colonnes.`, '');
      continue;
    }
    L.push(`### ${c.label.fr} — ${c.label.ar}`, '', ...c.columns.map((x) => `- \`${x}\``), '');
  }
  list('Destinataires / المرسل إليهم', d.recipients);
  L.push('## Conservation / مدة الاحتفاظ', '', ...d.retention.fr.map((x) => `- ${x}`), ...d.retention.ar.map((x) => `- ${x}`), '');
  list('Mesures de sécurité / التدابير الأمنية', d.security);
  L.push('## Transferts à l’étranger / النقل إلى الخارج', '', `${d.transfersAbroad.fr} — ${d.transfersAbroad.ar}`, '');
  if (d.unclassified.length) L.push('## Colonnes non classées (à revoir)', '', ...d.unclassified.map((x) => `- \`${x}\``), '');
  return L.join('\n');
}

async function processingPdf(d: ProcessingDescription): Promise<Buffer> {
  const content: Content[] = [
    { text: 'Description du traitement — déclaration CNDP (loi 09-08)', fontSize: 14, bold: true },
    { text: rtl('وصف المعالجة — التصريح لدى اللجنة الوطنية'), alignment: 'right', fontSize: 13, bold: true } as Content,
    { text: `${d.controller.office} — ${localDate(d.generatedAt)}`, margin: [0, 4, 0, 8] },
  ];
  const pairs = (title: string, items: { fr: string; ar: string }[]) => {
    content.push({ text: title, bold: true, fontSize: 11, margin: [0, 6, 0, 2] });
    content.push({ table: { widths: ['*', '*'], body: items.map((i) => [cell(i.fr), cell(i.ar)]) }, layout: 'lightHorizontalLines' });
  };
  pairs('Finalités', d.purposes);
  pairs('Personnes concernées', d.dataSubjects);
  content.push({ text: 'Catégories de données', bold: true, fontSize: 11, margin: [0, 6, 0, 2] });
  for (const c of d.categories) {
    const cols = c.class === 'technical' || c.class === 'reference' ? `${c.columns.length} colonnes` : c.columns.join(', ');
    content.push({ table: { widths: [150, '*'], body: [[cell(c.label.fr, { bold: true }), cell(cols, { fontSize: 7 })]] }, layout: 'lightHorizontalLines' });
  }
  pairs('Destinataires', d.recipients);
  content.push({ text: 'Conservation', bold: true, fontSize: 11, margin: [0, 6, 0, 2] }, { ul: d.retention.fr });
  pairs('Mesures de sécurité', d.security);
  pairs('Transferts à l’étranger', [d.transfersAbroad]);
  return renderPdf({ info: { title: 'Description du traitement (CNDP)' }, pageMargins: [36, 36, 36, 36], content });
}

export const processingHandlers = {
  'dataProtection.processingDescription': async ({ format }, ctx) => {
    const office = ctx.requireOffice();
    // The connection itself: the description reads the schema (sqlite_master, PRAGMA table_info), not rows.
    const d = describeProcessing(connectionOf(ctx.db), office, ctx.now());
    const stamp = localDate(d.generatedAt);
    const file =
      format === 'json'
        ? ctx.services.outbox.put(`traitement-cndp-${stamp}.json`, 'application/json', Buffer.from(JSON.stringify(d, null, 2)))
        : format === 'md'
          ? ctx.services.outbox.put(`traitement-cndp-${stamp}.md`, 'text/markdown', Buffer.from(processingMarkdown(d)))
          : ctx.services.outbox.put(`traitement-cndp-${stamp}.pdf`, 'application/pdf', await processingPdf(d));
    return { file: { id: file.id, name: file.name, mime: file.mime, size: file.size }, description: d };
  },
} satisfies Partial<Handlers>;
