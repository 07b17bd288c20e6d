import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { DuplicateIndex } from './duplicate-index';
import { levenshtein } from '../../../shared/normalize';
import type { Sqlite } from '../../db/connection';

/** The textbook two-row edit distance: the reference the fast one-row version must agree with. */
function referenceLevenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

describe('name comparison used by the duplicate index', () => {
  it('levenshtein agrees with the reference on Arabic and Latin strings of any length', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const letters = 'abzفاطمةعيش ';
    const word = (max: number) => Array.from({ length: rnd(max + 1) }, () => letters[rnd(letters.length)]).join('');
    for (let k = 0; k < 3000; k++) {
      const a = word(k % 50 === 0 ? 120 : 12);
      const b = word(12);
      expect(levenshtein(a, b)).toBe(referenceLevenshtein(a, b));
      expect(levenshtein(b, a)).toBe(referenceLevenshtein(a, b));
    }
    expect(levenshtein('ouhammou', 'ouhamou')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
  });
});

describe('DuplicateIndex', () => {
  function registry(): Sqlite {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE applicants (cin TEXT UNIQUE, file_no TEXT, birth_date TEXT, first_name_ar TEXT, last_name_ar TEXT,
      first_name_lat TEXT, last_name_lat TEXT, anonymised_at TEXT)`);
    const ins = db.prepare('INSERT INTO applicants VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    ins.run('U1', 'ERR-2026-000001', '1990-05-07', 'خديجة', 'أوحمو', 'Khadija', 'Ouhammou', null);
    ins.run('U2', 'ERR-2026-000002', '1985-01-01', 'فاطمة', 'العلوي', 'Fatima', 'Alaoui', null);
    ins.run(null, 'ERR-2026-000003', '1979-02-21', '', '', 'Rkia', 'Seddiki', '2026-01-01'); // anonymised: never a candidate
    return db as unknown as Sqlite;
  }

  it('finds the registry file by CIN and by name and birth date (also day and month swapped)', () => {
    const idx = new DuplicateIndex(registry(), [{ cin: 'U1', birthDate: '1990-07-05' }, { cin: 'X9', birthDate: '1979-02-21' }]);
    expect(idx.cinTaken('U1')).toEqual({ fileNo: 'ERR-2026-000001', rowNo: null, id: null });
    expect(idx.cinTaken('U2')).toBeNull(); // not a CIN of the list: not loaded
    expect(idx.likelySamePerson({ firstNameLat: 'Khadija', lastNameLat: 'OUHAMOU', birthDate: '1990-07-05' })).toEqual({ fileNo: 'ERR-2026-000001', rowNo: null, id: null });
    expect(idx.likelySamePerson({ firstNameLat: 'Rkia', lastNameLat: 'Seddiki', birthDate: '1979-02-21' })).toBeNull();
    expect(idx.likelySamePerson({ firstNameLat: 'Samira', lastNameLat: 'Tazi', birthDate: '1990-07-05' })).toBeNull();
  });

  it('compares later rows with the rows of the list accepted before them', () => {
    const idx = new DuplicateIndex(registry(), [{ cin: 'U7', birthDate: '1991-04-03' }]);
    idx.add(5, { cin: 'U7', firstNameAr: 'مريم', lastNameAr: 'التازي', firstNameLat: '', lastNameLat: '', birthDate: '1991-04-03' });
    expect(idx.cinTaken('U7')).toEqual({ fileNo: null, rowNo: 5, id: null });
    expect(idx.likelySamePerson({ firstNameLat: 'Meryem', lastNameLat: 'Tazi', birthDate: '1991-03-04' })).toEqual({ fileNo: null, rowNo: 5, id: null });
  });
});
