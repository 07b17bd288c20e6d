import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { addApplicants } from '../../src-main/core/exchange/exchange.fixtures';
import { insertApplicant, communesOf } from './security-fixtures';

/**
 * Sent files keep their content only to be made again if lost. That content is a second copy of personal data:
 * it goes once the region has confirmed holding the file (receipt), and when people are anonymised.
 */
const as = { actor: cli };
type TCore = ReturnType<typeof tempCore>;

describe('exchange: the kept copies of sent files', () => {
  let province: TCore;
  let region: TCore;
  let head: string;
  const files: string[] = [];
  const contents = () => province.sqlite.prepare('SELECT file_seq, length(content) AS n FROM exchange_exports ORDER BY id').all() as { file_seq: number; n: number }[];

  beforeAll(async () => {
    region = tempCore();
    await setupOffice(region, 'region');
    province = tempCore({ clock: () => new Date('2026-11-29T10:00:00Z') });
    const { token: admin } = await setupOffice(province, 'errachidia');
    head = await userToken(province, admin, 'head', 'office_head');
    await province.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    for (const seed of [1, 2]) {
      addApplicants(province.sqlite, 5, { seed });
      const e = await province.invoke('exchange.export', {}, as);
      files.push(join(province.dir, e.fileName));
      copyFileSync(province.outbox.get(e.fileId)!.path, files[files.length - 1]);
    }
  });
  afterAll(async () => {
    await province.dispose();
    await region.dispose();
  });

  it('are emptied up to the file the region confirms; those files can no longer be made again, later ones can', async () => {
    expect(contents().every((c) => c.n > 0)).toBe(true);
    const r = await region.invoke('exchange.import', { files: [{ path: files[0] }] }, as);
    expect(r.results[0].status).toBe('applied');
    const receipt = region.outbox.get(r.receipts[0].fileId)!;
    await province.invoke('exchange.loadReceipt', { path: receipt.path }, as);
    expect(contents()).toEqual([
      { file_seq: 1, n: 0 },
      { file_seq: 2, n: expect.any(Number) },
    ]);
    expect(contents()[1].n).toBeGreaterThan(0);
    const history = await province.invoke('exchange.history', {}, as);
    expect(history.map((h) => [h.fileSeq, h.canRemake])).toEqual([
      [2, true],
      [1, false],
    ]);
    const first = history.find((h) => h.fileSeq === 1)!;
    const refused = await province.call('exchange.remake', { exportId: first.id }, as);
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'exchange.content_purged', params: { fileSeq: 1 } });
    const again = await province.invoke('exchange.remake', { exportId: history[0].id }, as);
    expect(again.fileName).toMatch(/000002/);
    const audit = province.sqlite.prepare(`SELECT changes FROM audit_log WHERE method = 'exchange.loadReceipt'`).pluck().get() as string;
    expect(JSON.parse(audit).sent_contents_emptied).toEqual([null, 1]);
  });

  it('are all emptied when the retention run anonymises people (their old data must not survive there)', async () => {
    const [commune] = communesOf(province, 1);
    insertApplicant(province, { status: 'closed', closed_at: '2015-06-01T10:00:00.000Z', commune_code: commune, cin: 'JC990001' });
    const preview = await province.invoke('retention.preview', {}, { token: head });
    expect(preview.count).toBe(1);
    await province.invoke('retention.run', { expectedCount: 1 }, { token: head });
    expect(contents().every((c) => c.n === 0)).toBe(true);
    expect((await province.invoke('exchange.history', {}, as)).every((h) => !h.canRemake)).toBe(true);
    // What replaces a lost file: a full snapshot, which carries the anonymisation.
    const full = await province.invoke('exchange.export', { full: true }, as);
    expect(full.fileName).toMatch(/\.jisrx$/);
  });
});
