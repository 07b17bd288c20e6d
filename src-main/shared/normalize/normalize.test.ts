import { describe, expect, it } from 'vitest';
import {
  ageOn,
  applicantNameKeys,
  cinFormatOk,
  compareNames,
  excelSerialToIso,
  normalizeArabic,
  normalizeCin,
  normalizeLatin,
  normalizePhone,
  parseDateInput,
  parseTimeInput,
  phonePrefix,
  searchFragments,
  skeleton,
  swapDayMonth,
  toAsciiDigits,
  type PersonName,
} from './index';

describe('CIN', () => {
  it.each([
    ['ab123456', 'AB123456', true],
    [' AB 123-456 ', 'AB123456', true],
    ['u.123456', 'U123456', true],
    ['PA١٢٣٤٥', 'PA12345', true],
    ['ab1234567', 'AB1234567', true],
    ['ABC12345', 'ABC12345', false],
    ['A123', 'A123', false],
    ['12345678', '12345678', false],
  ])('%s → %s (format ok: %s)', (raw, norm, ok) => {
    expect(normalizeCin(raw)).toBe(norm);
    expect(cinFormatOk(normalizeCin(raw))).toBe(ok);
  });
});

describe('phone numbers', () => {
  it.each([
    ['0612345678', '+212612345678'],
    ['06 12 34 56 78', '+212612345678'],
    ['06.12.34.56.78', '+212612345678'],
    ['07-12-34-56-78', '+212712345678'],
    ['0535123456', '+212535123456'],
    ['00212612345678', '+212612345678'],
    ['+212 6 12 34 56 78', '+212612345678'],
    ['+212 (0)6 12 34 56 78', '+212612345678'],
    ['212612345678', '+212612345678'],
    ['٠٦١٢٣٤٥٦٧٨', '+212612345678'],
    ['612345678', '+212612345678'],
  ])('%s → %s', (raw, e164) => expect(normalizePhone(raw)).toBe(e164));

  it.each(['0812345678', '061234567', '06123456789', '+33612345678', 'abc', '', '0412345678'])('refuses %s', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('turns a partly typed number into an E.164 prefix', () => {
    expect(phonePrefix('06 12')).toBe('+212612');
    expect(phonePrefix('+2126')).toBe('+2126');
    expect(phonePrefix('00212 7')).toBe('+2127');
    expect(phonePrefix('0812')).toBeNull();
    expect(phonePrefix('1234')).toBeNull();
  });
});

describe('dates', () => {
  it.each([
    ['1990-03-09', '1990-03-09'],
    ['1990/3/9', '1990-03-09'],
    ['09/03/1990', '1990-03-09'],
    ['9-3-1990', '1990-03-09'],
    ['09.03.1990', '1990-03-09'],
    ['٠٩/٠٣/١٩٩٠', '1990-03-09'],
    ['1990-03-09T00:00:00.000Z', '1990-03-09'],
    ['32941', '1990-03-09'],
  ])('%s → %s', (raw, iso) => expect(parseDateInput(raw)).toBe(iso));

  it('reads Excel serials (1900 system, with its leap-year bug) and JS dates', () => {
    expect(excelSerialToIso(32941)).toBe('1990-03-09');
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(parseDateInput(45658)).toBe('2025-01-01');
    expect(parseDateInput(new Date(Date.UTC(2001, 0, 31)))).toBe('2001-01-31');
  });

  it.each(['31/02/1990', '1990-13-01', '00/01/1990', 'hier', '', '1850-01-01'])('refuses %s', (raw) => {
    expect(parseDateInput(raw)).toBeNull();
  });

  it('computes ages and swapped dates', () => {
    expect(ageOn('1990-03-09', '2026-03-08')).toBe(35);
    expect(ageOn('1990-03-09', '2026-03-09')).toBe(36);
    expect(swapDayMonth('1990-03-09')).toBe('1990-09-03');
    expect(swapDayMonth('1990-03-25')).toBeNull();
    expect(swapDayMonth('1990-05-05')).toBeNull();
    expect(toAsciiDigits('۱۲۳٤٥')).toBe('12345');
  });
});

describe('times', () => {
  it.each([
    ['9', '09:00'],
    ['09:30', '09:30'],
    ['9:30', '09:30'],
    ['9h30', '09:30'],
    ['17H', '17:00'],
    ['9.30', '09:30'],
    ['0930', '09:30'],
    ['930', '09:30'],
    ['09:30:00', '09:30'],
    ['٠٩:٣٠', '09:30'],
    [' 23:59 ', '23:59'],
  ])('%s → %s', (raw, hhmm) => expect(parseTimeInput(raw)).toBe(hhmm));

  it.each(['', '9:3', '24:00', '12:60', '09:00 AM', 'midi', '12345'])('refuses %s', (raw) => {
    expect(parseTimeInput(raw)).toBeNull();
  });
});

describe('name normalisation', () => {
  it('folds Arabic spelling variants', () => {
    expect(normalizeArabic('فاطمة الزهراء')).toBe(normalizeArabic('فاطمه الزهراء'));
    expect(normalizeArabic('أحمد')).toBe('احمد');
    expect(normalizeArabic('إبراهيم')).toBe('ابراهيم');
    expect(normalizeArabic('آمنة')).toBe('امنه');
    expect(normalizeArabic('مصطفى')).toBe('مصطفي');
    expect(normalizeArabic('مُحَمَّد')).toBe('محمد');
    expect(normalizeArabic('محـــمد')).toBe('محمد');
    expect(normalizeArabic('رؤوف')).toBe('رووف');
    expect(normalizeArabic('عائشة')).toBe('عايشه');
    expect(normalizeArabic('  أيت   علي ')).toBe('ايت علي');
  });

  it('folds Latin spelling variants', () => {
    expect(normalizeLatin('Aït-Ali')).toBe('ait ali');
    expect(normalizeLatin("M'BAREK")).toBe('mbarek');
    expect(normalizeLatin('Mohammed')).toBe('mohamed');
    expect(normalizeLatin('Hélène Noël')).toBe('helene noel');
  });

  it('gives the same skeleton in both scripts', () => {
    expect(skeleton('فاطمة الزهراء')).toBe(skeleton('Fatima Zahra'));
    expect(skeleton('أيت علي')).toBe(skeleton('Ait Ali'));
    expect(skeleton('أوحمو')).toBe(skeleton('Ouhammou'));
    expect(skeleton('الإدريسي')).toBe(skeleton('El Idrissi'));
    expect(skeleton('عبد الله')).toBe(skeleton('Abdellah'));
    expect(skeleton('خديجة')).toBe(skeleton('Khadija'));
    expect(skeleton('العلوي')).toBe(skeleton('Alaoui'));
  });

  it('splits a query into normalised fragments of either script', () => {
    expect(searchFragments('فاطمة  Aït-Ali')).toEqual(['فاطمه', 'ait', 'ali']);
    expect(applicantNameKeys({ firstNameAr: 'فاطمة', lastNameAr: 'أيت علي', firstNameLat: 'Fatima', lastNameLat: 'AIT ALI' })).toEqual({
      nameKeyAr: 'فاطمه ايت علي',
      nameKeyLat: 'fatima ait ali',
      nameSkel: 'ftmtl',
      nameWords: '#ftm# #yt# #ly# #tl#',
    });
  });
});

const ar = (first: string, last: string): PersonName => ({ firstNameAr: first, lastNameAr: last });
const lat = (first: string, last: string): PersonName => ({ firstNameLat: first, lastNameLat: last });

/** [a, b, should match] — across scripts and spellings (issue 3). */
const PAIRS: [PersonName, PersonName, boolean][] = [
  // The examples: one person, five spellings.
  [ar('فاطمة الزهراء', 'أيت علي'), ar('فاطمه الزهراء', 'ايت علي'), true],
  [ar('فاطمة الزهراء', 'أيت علي'), lat('Fatima Zahra', 'Ait Ali'), true],
  [ar('فاطمه الزهراء', 'ايت علي'), lat('Fatima-Zahra', 'AIT ALI'), true],
  [lat('Fatima Zahra', 'Ait Ali'), lat('Fatimazahra', 'Aït-Ali'), true],
  [ar('فاطمة الزهراء', 'أيت علي'), lat('Fatimazahra', 'Aït-Ali'), true],
  [lat('Fatima-Zahra', 'AIT ALI'), lat('Fatima Ezzahra', 'Aitt Ali'), true],
  // Arabic normalisation: hamza forms, taa marbuta / haa, alif maqsura / yaa, harakat, tatweel.
  [ar('أمينة', 'الإدريسي'), ar('امينه', 'الادريسي'), true],
  [ar('مُحَمَّد', 'أوحمو'), ar('محمد', 'اوحمو'), true],
  [ar('سلمى', 'بنعلي'), ar('سلمي', 'بنعلي'), true],
  [ar('خديـــجة', 'أمزيان'), ar('خديجة', 'امزيان'), true],
  [ar('عائشة', 'العلوي'), ar('عايشة', 'العلوي'), true],
  // Latin variants: Mohamed/Mohammed/Mohamad/Muhammad, ou/u, Ait/Aït, accents, hyphens, case.
  [lat('Mohamed', 'Ouhammou'), lat('Mohammed', 'Ouhamou'), true],
  [lat('Mohamad', 'El Idrissi'), lat('Muhammad', 'Elidrissi'), true],
  [lat('Youssef', 'Ait Baha'), lat('Yousef', 'Aït-Baha'), true],
  [lat('Soukaina', 'Boutaleb'), lat('Soukayna', 'Bou Taleb'), true],
  [lat('Meryem', 'Amziane'), lat('Mariam', 'AMZIANE'), true],
  [lat('Khadija', 'El Alaoui'), lat('Khadidja', 'Alaoui'), true],
  [lat('Zineb', "Ou'Ali"), lat('Zaynab', 'Ouali'), true],
  // Across scripts.
  [ar('محمد', 'أوحمو'), lat('Mohammed', 'Ouhammou'), true],
  [ar('خديجة', 'الإدريسي'), lat('Khadija', 'El Idrissi'), true],
  [ar('عائشة', 'أمزيان'), lat('Aicha', 'Amziane'), true],
  [ar('يامنة', 'أيت باها'), lat('Yamna', 'Ait Baha'), true],
  [ar('إيطو', 'أوبلا'), lat('Itto', 'Oubella'), true],
  [ar('حفيظة', 'بوطالب'), lat('Hafida', 'Boutaleb'), true],
  [ar('نعيمة', 'الشرقاوي'), lat('Naima', 'Cherkaoui'), true],
  [ar('رقية', 'أخياط'), lat('Rkia', 'Akhiat'), true],
  [ar('عبد الله', 'بنعلي'), lat('Abdellah', 'Benali'), true],
  // First and family names entered the other way round.
  [lat('Ait Ali', 'Fatima'), lat('Fatima', 'Ait Ali'), true],
  // Must NOT match: different people with close names.
  [lat('Fatima', 'Ait Ali'), lat('Fatiha', 'Ait Ali'), false],
  [ar('فاطمة', 'أيت علي'), ar('فتيحة', 'أيت علي'), false],
  [lat('Mohamed', 'Ouhammou'), lat('Mahmoud', 'Ouhammou'), false],
  [ar('محمد', 'أوحمو'), lat('Mahmoud', 'Ouhammou'), false],
  [lat('Fatima Zahra', 'Ait Ali'), lat('Fatima', 'Ait Ali'), false],
  [lat('Khadija', 'El Idrissi'), lat('Khaoula', 'El Idrissi'), false],
  [lat('Naima', 'Amziane'), lat('Naima', 'Ouhammou'), false],
  [ar('نعيمة', 'أمزيان'), lat('Naima', 'Ouhammou'), false],
  [lat('Hanane', 'Boutaleb'), lat('Hanane', 'Bouzid'), false],
  [lat('Salma', 'El Alaoui'), lat('Samira', 'El Alaoui'), false],
  [ar('سعيدة', 'الإدريسي'), lat('Saadia', 'El Idrissi'), false],
  [lat('Aicha', 'Ait Ali'), lat('Aicha', 'Ait Baha'), false],
  [ar('مليكة', 'أخياط'), ar('مليكة', 'أخطاب'), false],
  [ar('حليمة', 'أيت علي'), lat('Hakima', 'Ait Ali'), false],
  [lat('Lhoussaine', 'Amziane'), lat('Hassan', 'Amziane'), false],
  [lat('Rachida', 'Benali'), lat('Rachid', 'Benali'), false],
  [lat('Zahra', 'Cherkaoui'), lat('Zakia', 'Cherkaoui'), false],
];

describe('the name pairs table', () => {
  it('has at least 30 pairs, both kinds', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(30);
    expect(PAIRS.filter((p) => p[2]).length).toBeGreaterThan(10);
    expect(PAIRS.filter((p) => !p[2]).length).toBeGreaterThan(10);
  });

  it.each(PAIRS.map(([a, b, m], i) => [i, JSON.stringify(Object.values(a)), JSON.stringify(Object.values(b)), m, a, b] as const))(
    '#%i %s ~ %s → %s',
    (_i, _sa, _sb, shouldMatch, a, b) => {
      const r = compareNames(a, b);
      expect(r.match, JSON.stringify(r)).toBe(shouldMatch);
      // Symmetric.
      expect(compareNames(b, a).match).toBe(shouldMatch);
    },
  );
});
