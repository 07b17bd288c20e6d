/**
 * The region's decision on an office that numbers its files again from a restored backup, in words for the
 * coordinator — the same sentences on the screen and in the command line: what the region holds, what the file says,
 * what stays, what accepting means (and the office's audit trail, accepted by the same decision when it is broken too).
 */
import type { NumberingRestartDecision } from '../api/exchange.contract';
import { formatDateTime, formatInteger } from '../format';
import { PROVINCE_NAMES } from '../offices';
import { auditChainDecisionWords } from './audit-chain-words';

type Lang = 'ar' | 'fr';
/** « d’Errachidia », « de Midelt ». */
const ofName = (fr: string) => (/^[AEIOUYÂÉÈaeiouy]/.test(fr) ? `d’${fr}` : `de ${fr}`);
const fill = (tpl: string, p: Record<string, string>) => tpl.replace(/\{\{(\w+)\}\}/g, (_, k: string) => p[k] ?? '');

const W = {
  ar: {
    held: 'طبقت الجهة ملفات مكتب {{office}} إلى غاية الملف رقم {{last}}{{lastAt}}.',
    lastAt: ' المؤرخ في {{at}}',
    found:
      'الملف رقم {{fileSeq}} المؤرخ في {{fileAt}} أعد بعد ذلك، لكنه يلي الملف رقم {{prev}}: رجع ترقيم ملفات المكتب إلى الوراء، كما يقع حين يسترجع المكتب نسخة احتياطية أخذت بعد ملفه رقم {{prev}} (بعد تعطل حاسوبه الرئيسي مثلا).',
    lostOne: 'الملف رقم {{from}} الذي استلمته الجهة لم يعد لدى المكتب.',
    lostMany: 'الملفات من رقم {{from}} إلى رقم {{to}} التي استلمتها الجهة لم تعد لدى المكتب.',
    kept:
      'تحتفظ الجهة بما جاءت به تلك الملفات ({{rows}} سطرا): لا يحذف منه شيء. إذا عدل المكتب بعد الاسترجاع سجلا جاءت نسخة منه في تلك الملفات، يعتمد تعديل المكتب لأنه الأحدث تاريخا؛ وإلا تبقى نسخة الجهة.',
    meaning:
      'القبول يعني: يعود موقع المكتب لدى الجهة إلى الملف رقم {{prev}}، وتبقى الملفات التي أعيد استعمال أرقامها في السجل موسومة بذلك، {{chain}}ثم يطبق هذا الملف، وتتبعه الملفات القادمة عاديا. قرارك وسببه يحفظان في سجل التتبع لدى الجهة. لا تقبل إلا إذا أكد لك المكتب أنه استرجع نسخة احتياطية.',
    chain: 'ويقبل سجل التتبع الجديد للمكتب (انظر أعلاه)، ',
    already: 'سبق اتخاذ هذا القرار: الملف رقم {{fileSeq}} لمكتب {{office}} مطبق. لا شيء يتغير.',
  },
  fr: {
    held: 'La région a appliqué les fichiers du bureau {{ofOffice}} jusqu’au n° {{last}}{{lastAt}}.',
    lastAt: ', fait le {{at}}',
    found:
      'Le fichier n° {{fileSeq}} du {{fileAt}} a été fait après, mais il suit le fichier n° {{prev}} : la numérotation des fichiers du bureau est revenue en arrière, comme quand le bureau restaure une sauvegarde faite après son fichier n° {{prev}} (par exemple après la panne de son PC principal).',
    lostOne: 'Le fichier n° {{from}}, que la région a reçu, n’est plus au bureau.',
    lostMany: 'Les fichiers n° {{from}} à {{to}}, que la région a reçus, ne sont plus au bureau.',
    kept:
      'La région garde ce que ces fichiers ont apporté ({{rows}} lignes) : rien n’en est effacé. Si le bureau modifie après sa restauration une fiche dont ces fichiers avaient apporté une version, sa modification l’emporte, car elle est la plus récente ; sinon la version de la région reste.',
    meaning:
      'Accepter, c’est : la position du bureau à la région revient au fichier n° {{prev}} ; les fichiers dont le numéro est repris restent dans l’historique, marqués comme tels ; {{chain}}puis ce fichier est appliqué, et les suivants suivront normalement. Votre décision et son motif sont gardés dans le journal d’audit de la région. N’acceptez que si le bureau vous a confirmé avoir restauré une sauvegarde.',
    chain: 'le nouveau journal d’audit du bureau est accepté aussi (voir ci-dessus) ; ',
    already: 'Cette décision a déjà été prise : le fichier n° {{fileSeq}} du bureau {{ofOffice}} est appliqué. Rien ne change.',
  },
} as const;

export interface NumberingRestartWords {
  held: string;
  found: string;
  kept: string;
  meaning: string;
  /** The office's audit trail, when it no longer extends what the region holds (accepted by the same decision). */
  chain: { seen: string; found: string; meaning: string } | null;
}

/** The decision in words: what the region holds, what the file says and what the office lost, what stays, what accepting means. */
export function numberingRestartWords(d: NumberingRestartDecision, lang: Lang): NumberingRestartWords {
  const w = W[lang];
  const n = (x: number) => formatInteger(x, lang);
  const p = {
    office: PROVINCE_NAMES[d.office]?.[lang] ?? d.office,
    ofOffice: ofName(PROVINCE_NAMES[d.office]?.fr ?? d.office),
    last: n(d.held.lastFileSeq),
    lastAt: d.held.lastFileCreatedAt ? fill(w.lastAt, { at: formatDateTime(d.held.lastFileCreatedAt) }) : '',
    fileSeq: n(d.file.fileSeq),
    fileAt: formatDateTime(d.file.createdAt),
    prev: n(d.file.prevFileSeq),
    from: n(d.reused.from),
    to: n(d.reused.to),
    rows: n(d.reused.rows),
    chain: d.auditChain ? w.chain : '',
  };
  if (d.alreadyDone) return { held: fill(w.already, p), found: '', kept: '', meaning: '', chain: null };
  const lost = d.reused.to > d.reused.from ? w.lostMany : w.lostOne;
  return {
    held: fill(w.held, p),
    found: `${fill(w.found, p)} ${fill(lost, p)}`,
    kept: fill(w.kept, p),
    meaning: fill(w.meaning, p),
    chain: d.auditChain ? auditChainDecisionWords(d.auditChain, lang) : null,
  };
}
