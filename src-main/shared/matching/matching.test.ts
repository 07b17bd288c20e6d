import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePeople, compareBirthDates, strongBirthDates } from './index';
import type { EvalPair } from '../../../tests/fixtures/matching/generate';
import { generatePairs } from '../../../tests/fixtures/matching/generate';

const pairs = JSON.parse(readFileSync(join(import.meta.dirname, '../../../tests/fixtures/matching/pairs.json'), 'utf8')) as EvalPair[];

describe('the labelled evaluation set (tests/fixtures/matching)', () => {
  it('is the generator output, with at least 400 pairs of the three kinds', () => {
    expect(generatePairs()).toEqual(pairs);
    expect(pairs.length).toBeGreaterThanOrEqual(400);
    for (const l of ['same', 'different', 'maybe']) expect(pairs.filter((p) => p.label === l).length).toBeGreaterThan(50);
  });

  it('meets the goals pair by pair (the bench measures the same through the registry)', () => {
    const proposed = (p: EvalPair) => comparePeople(p.b, p.a);
    const same = pairs.filter((p) => p.label === 'same');
    const diff = pairs.filter((p) => p.label === 'different');
    const maybe = pairs.filter((p) => p.label === 'maybe');
    const recall = same.filter((p) => proposed(p)).length / same.length;
    const falseAlarms = diff.filter((p) => proposed(p)).length / diff.length;
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(falseAlarms).toBeLessThanOrEqual(0.02);
    // "maybe": shown, never blocking.
    expect(maybe.filter((p) => proposed(p)?.level === 'strong')).toEqual([]);
    expect(maybe.filter((p) => proposed(p)).length / maybe.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('comparePeople', () => {
  const fatima = { firstNameAr: 'فاطمة', lastNameAr: 'العلوي', sex: 'F' as const, birthDate: '1990-03-09' };

  it('same: the other script, the article merged, a slip in the birth date — strong, with the reasons in words', () => {
    for (const last of ['Alaoui', 'Lalaoui', 'El Alaoui', 'Elalaoui']) {
      const m = comparePeople({ firstNameLat: 'Fatma', lastNameLat: last, sex: 'F', birthDate: '09/03/1990' }, fatima);
      expect(m?.level, last).toBe('strong');
      expect(m?.reasons).toEqual([
        { code: 'birth_same', a: '1990-03-09' },
        { code: 'first_variant', a: 'Fatma', b: 'فاطمة' },
        { code: 'family_variant', a: last, b: 'العلوي' },
      ]);
    }
    expect(comparePeople({ ...fatima, birthDate: '1990-03-10' }, fatima)?.reasons[0]).toEqual({ code: 'birth_one_day', a: '1990-03-10', b: '1990-03-09' });
    expect(comparePeople({ ...fatima, birthDate: '١٩٩٠-٠٩-٠٣' }, fatima)).toMatchObject({ level: 'strong', reasons: [{ code: 'birth_swapped' }, { code: 'first_same' }, { code: 'family_same' }] });
    expect(comparePeople({ firstNameLat: 'Benchekron', lastNameLat: 'Khadija', birthDate: '1980-01-01' }, { firstNameLat: 'Khadija', lastNameLat: 'Benchekroun', birthDate: '1980-01-01' })).toMatchObject({
      level: 'strong',
      reasons: expect.arrayContaining([{ code: 'names_swapped' }]),
    });
  });

  it('different: a shared particle only, masculine and feminine with two sexes, a birth year far away', () => {
    expect(comparePeople({ firstNameLat: 'Aicha', lastNameLat: 'Ait Ali', birthDate: '1985-05-05' }, { firstNameLat: 'Aicha', lastNameLat: 'Ait Brahim', birthDate: '1985-05-05' })).toBeNull();
    expect(comparePeople({ firstNameLat: 'Karim', lastNameLat: 'Tazi', sex: 'M', birthDate: '1985-05-05' }, { firstNameLat: 'Karima', lastNameLat: 'Tazi', sex: 'F', birthDate: '1985-05-05' })).toBeNull();
    expect(comparePeople({ firstNameAr: 'كريم', lastNameAr: 'التازي', birthDate: '1985-05-05' }, { firstNameLat: 'Karima', lastNameLat: 'Tazi', birthDate: '1985-05-05' })).toBeNull();
    expect(comparePeople({ ...fatima, birthDate: '1975-03-09' }, fatima)).toBeNull();
  });

  it('maybe: the same year only, a year apart, no birth date, part of a compound first name — weak, never blocking', () => {
    const weak = [
      comparePeople({ ...fatima, birthDate: '1990-11-20' }, fatima),
      comparePeople({ ...fatima, birthDate: '1991-01-02' }, fatima),
      comparePeople({ ...fatima, birthDate: null }, fatima),
      comparePeople({ firstNameAr: 'فاطمة الزهراء', lastNameAr: 'العلوي', birthDate: '1990-03-09' }, fatima),
    ];
    expect(weak.map((m) => m?.level)).toEqual(['weak', 'weak', 'weak', 'weak']);
    expect(weak.map((m) => m!.reasons[0].code)).toEqual(['birth_same_year', 'birth_year_apart', 'birth_unknown', 'birth_same']);
    expect(weak[3]!.reasons[1]).toEqual({ code: 'first_partial', a: 'فاطمة الزهراء', b: 'فاطمة' });
    for (const m of weak) expect(m!.score).toBeLessThan(0.8);
  });

  it('birth-date evidence and the dates a strong candidate may have', () => {
    expect(compareBirthDates('1990-03-09', '1990-09-03').kind).toBe('swapped');
    expect(compareBirthDates('1990-12-31', '1991-01-01').kind).toBe('one_day');
    expect(strongBirthDates('1990-03-09').sort()).toEqual(['1990-03-08', '1990-03-09', '1990-03-10', '1990-09-03']);
    expect(strongBirthDates('1990-03-03').sort()).toEqual(['1990-03-02', '1990-03-03', '1990-03-04']);
  });
});
