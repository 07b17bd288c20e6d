/**
 * The region's decision on an office's new audit chain (issue 16), in words for the coordinator — the same sentences
 * on the screen and in the command line: what the region holds, what the file shows, what accepting means.
 */
import type { AuditChainDecision } from '../api/exchange.contract';
import { formatDateTime, formatInteger } from '../format';
import { PROVINCE_NAMES } from '../offices';

type Lang = 'ar' | 'fr';
const fill = (tpl: string, p: Record<string, string>) => tpl.replace(/\{\{(\w+)\}\}/g, (_, k: string) => p[k] ?? '');

const W = {
  ar: {
    seen: 'تحتفظ الجهة بسجل التتبع لمكتب {{office}} إلى غاية السطر {{seenRows}}، استلمته يوم {{seenAt}}{{seenFile}}.',
    seenFile: ' مع الملف رقم {{n}}',
    missing:
      'الملف رقم {{fileSeq}} المؤرخ في {{fileAt}} يحمل سجلا من {{offeredRows}} سطرا لم يعد فيه السطر {{seenRows}}: اختفت أسطر منذ ذلك الحين، كما يقع عند استرجاع نسخة احتياطية أقدم في المكتب.',
    rewritten: 'الملف رقم {{fileSeq}} المؤرخ في {{fileAt}} يحمل سجلا من {{offeredRows}} سطرا، لكن السطر {{seenRows}} فيه ليس هو الذي استلمته الجهة: أعيدت كتابة السجل.',
    meaning:
      'القبول يعني أن هذا السجل الجديد يصبح المرجع: على الملفات القادمة لهذا المكتب أن تواصله. ما استلمته الجهة من قبل لن يمكن بعد الآن التحقق منه لدى المكتب. قرارك وسببه يحفظان في سجل التتبع لدى الجهة. لا تقبل إلا إذا شرح لك المكتب السبب (استرجاع نسخة احتياطية مثلا) وتحققت منه.',
  },
  fr: {
    seen: 'La région tient le journal d’audit du bureau de {{office}} jusqu’à la ligne {{seenRows}}, reçu le {{seenAt}}{{seenFile}}.',
    seenFile: ' avec le fichier n° {{n}}',
    missing:
      'Le fichier n° {{fileSeq}} du {{fileAt}} porte un journal de {{offeredRows}} lignes qui n’a plus la ligne {{seenRows}} : des lignes ont disparu depuis, comme après la restauration d’une sauvegarde plus ancienne au bureau.',
    rewritten: 'Le fichier n° {{fileSeq}} du {{fileAt}} porte un journal de {{offeredRows}} lignes dont la ligne {{seenRows}} n’est plus celle que la région a reçue : le journal a été réécrit.',
    meaning:
      'Accepter, c’est prendre ce nouveau journal comme référence : les fichiers suivants du bureau devront le prolonger. Ce que la région avait reçu ne pourra plus être vérifié auprès du bureau. Votre décision et son motif sont gardés dans le journal d’audit de la région. N’acceptez que si le bureau vous a expliqué la raison (par exemple la restauration d’une sauvegarde) et que vous l’avez vérifiée.',
  },
} as const;

/** Three paragraphs: what the region holds, what the file shows, what accepting means. */
export function auditChainDecisionWords(d: AuditChainDecision, lang: Lang): { seen: string; found: string; meaning: string } {
  const w = W[lang];
  const p = {
    office: PROVINCE_NAMES[d.office]?.[lang] ?? d.office,
    seenRows: formatInteger(d.seen.rows, lang),
    seenAt: formatDateTime(d.seen.at),
    seenFile: d.seen.fileSeq !== null ? fill(w.seenFile, { n: formatInteger(d.seen.fileSeq, lang) }) : '',
    fileSeq: formatInteger(d.fileSeq, lang),
    fileAt: formatDateTime(d.fileCreatedAt),
    offeredRows: formatInteger(d.offered.rows, lang),
  };
  return { seen: fill(w.seen, p), found: fill(d.atSeen === 'missing' ? w.missing : w.rewritten, p), meaning: w.meaning };
}
