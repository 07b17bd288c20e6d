import { createHash } from 'node:crypto';
import type { Content } from 'pdfmake/interfaces';
import { qrPng } from '../attestations/qr-image';
import { renderPdf, rtl } from './pdf';
import { secretToWords } from './recovery';

/** Text of the QR code: a marker and the 12 words without accents (ASCII), as they may be typed back. */
export function recoveryQrText(words: string[]): string {
  const plain = words.map((w) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, ''));
  return `JISR-RECOVERY-1 ${plain.join(' ')}`;
}

/** A short fingerprint of the key, printed on the sheet and shown by `recovery check`, to match sheet and database. */
export function keyFingerprint(secret: Buffer): string {
  const h = createHash('sha256').update('jisr-recovery-fingerprint').update(secret).digest('hex').toUpperCase();
  return `${h.slice(0, 4)}-${h.slice(4, 8)}`;
}

export interface RecoverySheetInput {
  secret: Buffer;
  officeAr: string;
  officeFr: string;
  /** dd/mm/yyyy */
  date: string;
}

const AR = {
  title: 'ورقة استرجاع قاعدة بيانات جسر',
  keep: 'تُحفظ هذه الورقة في خزانة المكتب. من يملكها يستطيع قراءة كل الملفات: لا تُصوَّر ولا تُرسل.',
  office: 'المكتب',
  date: 'التاريخ',
  fingerprint: 'بصمة المفتاح',
  words: 'مفتاح الاسترجاع (12 كلمة)',
  use1: 'على حاسوب آخر: «استرجاع نسخة احتياطية بورقة الاسترجاع» في شاشة الإعداد، أو فتح قاعدة البيانات بالكلمات.',
  use2: 'مسؤول النظام مقفل أو نسي كلمة المرور: «فتح حساب المسؤول بورقة الاسترجاع» في شاشة الدخول.',
};
const FR = {
  title: 'Feuille de récupération — base de données Jisr',
  keep: 'À garder dans le coffre du bureau. Qui la détient peut lire tous les dossiers : ne pas la photocopier ni l’envoyer.',
  office: 'Bureau',
  date: 'Date',
  fingerprint: 'Empreinte de la clé',
  words: 'Clé de récupération (12 mots)',
  use1: 'Sur un autre ordinateur : « Restaurer une sauvegarde avec la feuille de récupération » à l’écran d’installation, ou ouvrir la base avec les mots.',
  use2: 'Administrateur bloqué ou mot de passe oublié : « Débloquer l’administrateur avec la feuille de récupération » à l’écran de connexion.',
};

/** The recovery sheet: one A4 page, Arabic (right to left) then French, the 12 numbered words and their QR code. */
export async function recoverySheetPdf(input: RecoverySheetInput): Promise<Buffer> {
  const words = secretToWords(input.secret);
  const ar = (text: string, o: object = {}): Content => ({ text: rtl(text), alignment: 'right', ...o }) as Content;
  const wordRows: Content[][] = [];
  for (let i = 0; i < 12; i += 3) {
    wordRows.push(
      [0, 1, 2].map((k) => ({ text: [{ text: `${i + k + 1}. `, color: '#666' }, { text: words[i + k], bold: true }], fontSize: 15, margin: [4, 6, 4, 6] }) as Content),
    );
  }
  const fp = keyFingerprint(input.secret);
  return renderPdf({
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    info: { title: 'Jisr Desk — recovery sheet' },
    content: [
      ar(AR.title, { fontSize: 18, bold: true }),
      { text: FR.title, fontSize: 15, bold: true, margin: [0, 2, 0, 8] },
      ar(AR.keep, { color: '#a00' }),
      { text: FR.keep, color: '#a00', margin: [0, 0, 0, 10] },
      {
        table: {
          widths: ['*', 'auto', '*'],
          body: [
            [{ text: FR.office, bold: true }, { text: input.officeFr }, ar(input.officeAr)],
            [{ text: FR.date, bold: true }, { text: input.date }, ar(AR.date, { bold: true })],
            [{ text: FR.fingerprint, bold: true }, { text: fp, bold: true }, ar(AR.fingerprint, { bold: true })],
          ],
        },
        layout: 'lightHorizontalLines',
        margin: [0, 0, 0, 12],
      },
      ar(AR.words, { bold: true, fontSize: 12 }),
      { text: FR.words, bold: true, fontSize: 12, margin: [0, 0, 0, 4] },
      { table: { widths: ['*', '*', '*'], body: wordRows }, margin: [0, 0, 0, 12] },
      { image: `data:image/png;base64,${qrPng(recoveryQrText(words), 4).toString('base64')}`, width: 150, alignment: 'center', margin: [0, 0, 0, 12] },
      ar(AR.use1),
      { text: FR.use1, margin: [0, 0, 0, 6] },
      ar(AR.use2),
      { text: FR.use2 },
    ],
  });
}
