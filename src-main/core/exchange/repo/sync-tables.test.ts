import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore } from '../../../../tests/helpers/core';
import { makeApplicants } from '../../../../tests/helpers/sessions-factory';
import { readable, writable } from '../../db/handles';
import { rowStatements, tableColumns } from './sync-tables.repo';

/**
 * The exchange's row update (issue 19): only the columns that differ from the row held are written, so an update
 * that moves a status neither rewrites the name indexes nor the search index; a rename still does.
 */
const core = tempCore({ clock: () => new Date('2026-03-10T10:00:00Z') });
afterAll(() => core.dispose());
beforeAll(async () => {
  await setupOffice(core);
});

describe('sync tables: an update writes what changed', () => {
  it('a status move fires no name trigger and keeps the search index; a rename fires it once and is found by its new name', () => {
    const [id] = makeApplicants(core, 1, 'registered');
    const db = core.sqlite;
    const columns = tableColumns(readable(core.sqlite), 'applicants');
    const st = rowStatements('applicants', columns, ['id'], 'office_id');
    db.exec(`CREATE TEMP TABLE name_writes (n INTEGER);
      CREATE TEMP TRIGGER count_name_writes AFTER UPDATE OF name_key_ar, name_key_lat, name_words, last_name_lat ON main.applicants
      BEGIN INSERT INTO name_writes VALUES (1); END;`);
    const held = () => db.prepare(`SELECT ${columns.join(', ')} FROM applicants WHERE id = ?`).raw().get(id) as unknown[];
    db.prepare("UPDATE applicants SET name_key_lat = 'alaoui', name_key_ar = 'العلوي', name_words = 'alaoui' WHERE id = ?").run(id);
    const found = (word: string) =>
      db.prepare('SELECT COUNT(*) FROM applicants_fts WHERE applicants_fts MATCH ? AND rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = ?)').pluck().get(`"${word}"`, id);
    expect(found('alaoui')).toBe(1);
    db.exec('DELETE FROM name_writes');
    const at = (c: string) => columns.indexOf(c);

    const moved = held();
    moved[at('status')] = 'oriented';
    moved[at('change_seq')] = Number(moved[at('change_seq')]) + 1;
    db.transaction(() => st.update(writable(db), moved))();
    expect(db.prepare('SELECT status FROM applicants WHERE id = ?').pluck().get(id)).toBe('oriented');
    expect(db.prepare('SELECT COUNT(*) FROM name_writes').pluck().get()).toBe(0);
    expect(found('alaoui')).toBe(1);

    const renamed = held();
    renamed[at('last_name_lat')] = 'Ouahbi';
    renamed[at('name_key_lat')] = 'ouahbi';
    renamed[at('name_words')] = 'ouahbi';
    db.transaction(() => st.update(writable(db), renamed))();
    expect(db.prepare('SELECT COUNT(*) FROM name_writes').pluck().get()).toBe(1);
    expect(found('ouahbi')).toBe(1);
    expect(found('alaoui')).toBe(0);

    // Nothing differs: nothing is written.
    const changes = db.prepare('SELECT total_changes()').pluck();
    const n = changes.get();
    db.transaction(() => st.update(writable(db), held()))();
    expect(changes.get()).toBe(n);
  });
});
