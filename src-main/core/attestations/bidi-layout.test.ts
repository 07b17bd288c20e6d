import { describe, expect, it } from 'vitest';
import { breakParagraph, layoutParagraph, orderLine, visualWords, RLM } from './bidi-layout';
import { textWidth } from './fonts';

/** Arabic words are written in their typed (logical) form; `rev` gives what lies on paper, left to right. */
const rev = (s: string) => Array.from(s).reverse().join('');
const LRI = '\u2066';
const PDI = '\u2069';

/**
 * Visual order of each line, left to right as printed. Each entry: the line as typed (logical order),
 * the paragraph direction, and the words as they stand on paper from left to right.
 */
const WORDS: [string, 'rtl' | 'ltr', string[]][] = [
  ['السيدة فاطمة', 'rtl', ['فاطمة', 'السيدة']],
  ['رقم البطاقة AB123456', 'rtl', ['AB123456', 'البطاقة', 'رقم']],
  [`السيدة Fatima Zahra EL ALAOUI${RLM} الحاملة`, 'rtl', ['الحاملة', 'Fatima', 'Zahra', 'EL', 'ALAOUI', 'السيدة']],
  [`المزدادة بتاريخ 12/05/1990${RLM}، بالرشيدية`, 'rtl', ['بالرشيدية', '،', '12/05/1990', 'بتاريخ', 'المزدادة']],
  ['نسبة الحضور 95%', 'rtl', ['%', '95', 'الحضور', 'نسبة']],
  ['بنسبة 92.5%', 'rtl', ['%', '92.5', 'بنسبة']],
  ['سنة ٢٠٢٦ م', 'rtl', ['م', '٢٠٢٦', 'سنة']],
  ['الحجم الساعي ١٢٠ ساعة', 'rtl', ['ساعة', '١٢٠', 'الساعي', 'الحجم']],
  ['نسبة ٩٥٪', 'rtl', ['٪', '٩٥', 'نسبة']],
  ['رقم الملف ERR-2026-000123', 'rtl', ['ERR-2026-000123', 'الملف', 'رقم']],
  ['رقم: ERR-2026-000123', 'rtl', ['ERR-2026-000123', 'رقم:']],
  ['الرشيدية في 12 ماي 2026', 'rtl', ['2026', 'ماي', '12', 'في', 'الرشيدية']],
  ['من 5 يناير 2026 إلى 12 ماي 2026', 'rtl', ['2026', 'ماي', '12', 'إلى', '2026', 'يناير', '5', 'من']],
  ['قدره 120 ساعة', 'rtl', ['ساعة', '120', 'قدره']],
  ['المبلغ 50.000 درهم', 'rtl', ['درهم', '50.000', 'المبلغ']],
  ['عدد 3 من أصل 10', 'rtl', ['10', 'أصل', 'من', '3', 'عدد']],
  ['رمز الإقليم 08.201', 'rtl', ['08.201', 'الإقليم', 'رمز']],
  ['القانون الإطار 97.13', 'rtl', ['97.13', 'الإطار', 'القانون']],
  [`القانون ${LRI}09-08${PDI}`, 'rtl', ['09-08', 'القانون']],
  [`الهاتف ${LRI}+212612345678${PDI}`, 'rtl', ['+212612345678', 'الهاتف']],
  [`السيدة Fatima EL ALAOUI${RLM}، رقم AB123456${RLM}.`, 'rtl', ['.', 'AB123456', 'رقم', '،', 'Fatima', 'EL', 'ALAOUI', 'السيدة']],
  // Why the RLM: without it a number after a Latin name joins the Latin run and the Arabic comma lands inside it.
  [`السيدة Fatima ALAOUI${RLM}، 1990`, 'rtl', ['1990', '،', 'Fatima', 'ALAOUI', 'السيدة']],
  ['السيدة Fatima ALAOUI، 1990', 'rtl', ['Fatima', 'ALAOUI،', '1990', 'السيدة']],
  ['أكتوبر 2026', 'rtl', ['2026', 'أكتوبر']],
  ['شَهادَة', 'rtl', ['شَهادَة']],
  ['ⵜⴰⴳⵍⴷⵉⵜ ⵏ ⵍⵎⵖⵔⵉⴱ', 'ltr', ['ⵜⴰⴳⵍⴷⵉⵜ', 'ⵏ', 'ⵍⵎⵖⵔⵉⴱ']],
  ['ⵜⴰⴳⵍⴷⵉⵜ ⵏ ⵍⵎⵖⵔⵉⴱ', 'rtl', ['ⵜⴰⴳⵍⴷⵉⵜ', 'ⵏ', 'ⵍⵎⵖⵔⵉⴱ']],
  ['Errachidia, le 12 mai 2026', 'ltr', ['Errachidia,', 'le', '12', 'mai', '2026']],
  ['N° : ERR-2026-000123', 'ltr', ['N°', ':', 'ERR-2026-000123']],
  ['Madame فاطمة العلوي, née le 12/05/1990', 'ltr', ['Madame', 'العلوي', 'فاطمة', ',', 'née', 'le', '12/05/1990']],
  ['Délégation provinciale – الرشيدية', 'ltr', ['Délégation', 'provinciale', '–', 'الرشيدية']],
  ['ROYAUME DU MAROC', 'rtl', ['ROYAUME', 'DU', 'MAROC']],
];

/** Lines with brackets: the whole visual string (mirrored brackets included). */
const VISUAL: [string, 'rtl' | 'ltr', string][] = [
  ['(السيدة) فاطمة', 'rtl', `${rev('فاطمة')} (${rev('السيدة')})`],
  ['«جسر للتمكين والريادة»', 'rtl', `«${rev('والريادة')} ${rev('للتمكين')} ${rev('جسر')}»`],
  ['في وضعية إعاقة (حركية)', 'rtl', `(${rev('حركية')}) ${rev('إعاقة')} ${rev('وضعية')} ${rev('في')}`],
  ['البطاقة رقم (AB123456)', 'rtl', `(AB123456) ${rev('رقم')} ${rev('البطاقة')}`],
  ['[ملاحظة] انتهى', 'rtl', `${rev('انتهى')} [${rev('ملاحظة')}]`],
  ['Attestation (شهادة) n° 5', 'ltr', `Attestation (${rev('شهادة')}) n° 5`],
];

describe('bidi layout: visual order of lines', () => {
  it.each(WORDS)('%s (%s)', (line, dir, expected) => {
    expect(visualWords(line, dir)).toEqual(expected);
  });
  it.each(VISUAL)('%s (%s) with mirrored brackets', (line, dir, expected) => {
    expect(orderLine(line, dir).visual).toBe(expected);
  });
  it('has at least 30 lines in its tables', () => {
    expect(WORDS.length + VISUAL.length).toBeGreaterThanOrEqual(30);
  });
});

describe('bidi layout: pieces handed to pdfkit', () => {
  it('hands an Arabic word in logical order (fontkit reverses and joins it) and Latin as is', () => {
    const pieces = orderLine('رقم AB123456', 'rtl').pieces.filter((p) => p.text.trim());
    expect(pieces.map((p) => p.text)).toEqual(['AB123456', 'رقم']);
  });
  it('hands Arabic-Indic digits reversed, since fontkit reverses any Arabic-script run', () => {
    const pieces = orderLine('سنة ٢٠٢٦', 'rtl').pieces.filter((p) => p.text.trim());
    expect(pieces.map((p) => p.text)).toEqual(['٦٢٠٢', 'سنة']);
  });
  it('mirrors a bracket before handing the word over in logical order', () => {
    const pieces = orderLine('(السيدة)', 'rtl').pieces;
    expect(pieces.map((p) => p.text)).toEqual([')السيدة(']);
  });
  it('merges a right-to-left group into one piece in logical order with no-break spaces (fontkit reverses it whole)', () => {
    const l = orderLine(`يشهد بأن السيدة Fatima EL ALAOUI${RLM} الحاملة للبطاقة`, 'rtl');
    expect(l.inlines.map((p) => p.text)).toEqual(['\u00A0الحاملة\u00A0للبطاقة', 'Fatima EL ALAOUI ', 'يشهد\u00A0بأن\u00A0السيدة']);
    expect(l.inlines.map((p) => p.visual).join('')).toBe(l.visual);
  });
  it('keeps Arabic-Indic digits as a piece of their own inside a left-to-right group', () => {
    const l = orderLine('سنة ٢٠٢٦ م', 'rtl');
    expect(l.inlines.map((p) => p.text)).toEqual(['\u00A0م', '٦٢٠٢', 'سنة\u00A0']);
  });
  it('drops the direction marks from what is drawn', () => {
    expect(orderLine(`AB123${RLM} رقم`, 'rtl').visual).not.toContain(RLM);
  });
});

const LONG_AR =
  'يشهد المندوب الإقليمي الموقع أسفله بأن السيدة فاطمة الزهراء العلوي، الحاملة للبطاقة الوطنية للتعريف رقم UA123456' +
  RLM +
  '، المزدادة بتاريخ 12/05/1990' +
  RLM +
  '، قد شاركت في دورات التكوين والمواكبة المنظمة في إطار برنامج «جسر للتمكين والريادة» خلال الفترة الممتدة من 5 يناير 2026 إلى 12 ماي 2026، بحجم ساعي إجمالي قدره 120 ساعة.';
const LONG_FR =
  "Le Délégué provincial soussigné atteste que Madame Fatima Zahra EL ALAOUI, titulaire de la carte nationale d'identité n° UA123456, née le 12/05/1990, a participé aux sessions de formation et d'accompagnement du programme « Jisr pour l'autonomisation et le leadership ».";

describe('bidi layout: paragraphs wrap within the width', () => {
  it.each([
    [LONG_AR, 'rtl' as const, 300, 14],
    [LONG_AR, 'rtl' as const, 515, 14.5],
    [LONG_FR, 'ltr' as const, 250, 11.5],
    [LONG_FR, 'ltr' as const, 515, 11.5],
  ])('breaks a long paragraph at %#', (text, dir, width, size) => {
    const lines = breakParagraph(text, width, size);
    expect(lines.length).toBeGreaterThan(1);
    // Every word kept, in logical order, none split.
    expect(lines.join(' ').split(/ +/)).toEqual(text.split(/ +/));
    const laid = layoutParagraph(text, dir, width, size);
    for (const l of laid) expect(l.width).toBeLessThanOrEqual(width + 0.01);
    // Greedy: the first word of each next line would not have fitted.
    for (let i = 0; i + 1 < lines.length; i++) {
      const next = lines[i + 1].split(' ')[0].replace(RLM, '');
      expect(laid[i].width + textWidth('amiri', ' ', size) + textWidth('amiri', next, size)).toBeGreaterThan(width);
    }
  });
  it('keeps the reading order across lines: the first line holds the first words, right-aligned Arabic read right to left', () => {
    const laid = layoutParagraph(LONG_AR, 'rtl', 300, 14);
    const firstLineWords = visualWords(breakParagraph(LONG_AR, 300, 14)[0], 'rtl');
    expect(firstLineWords[firstLineWords.length - 1]).toBe('يشهد');
    expect(laid[0].pieces[laid[0].pieces.length - 1].text).toBe('يشهد');
  });
  it('starts a new line at an explicit newline', () => {
    expect(breakParagraph('سطر أول\nسطر ثان', 500, 12)).toEqual(['سطر أول', 'سطر ثان']);
  });
});

describe('fontkit direction', () => {
  it('is predicted without shaping, as fontkit decides it', async () => {
    const { face, runDirection } = await import('./fonts');
    const f = face('amiri').font;
    for (const s of ['السيدة', '(السيدة)', '٢٠٢٦', '2026', '(', 'AB123', '،', 'ⵜⴰⴳⵍⴷⵉⵜ', '\u00A0فاطمة\u00A0العلوي', '12 ماي']) {
      expect(runDirection(s)).toBe(f.layout(s).direction);
    }
  });
});
