import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths';
import { tempCore, setupOffice } from '../../../tests/helpers/core';
import { renderPages, type PageInput, type PrintMode } from './pdf-render';
import { loadLayout } from './templates';
import { decodePng, diffRatio } from './png-gray';
import { fixedKeyPair, insertCohort, insertSessions, participant, sampleContent } from './test-fixtures';
import { parseQr, verifyQrSignature } from './qr-payload';

/**
 * Rendered pages compared with reference images (tests/fixtures/attestations/*.png, rendered by pdftoppm at
 * 40 dpi in grey). Run with UPDATE_ATTESTATION_REFERENCES=1 to rewrite them after a deliberate layout change,
 * and look at them before committing.
 */
const REF_DIR = join(projectRoot(), 'tests', 'fixtures', 'attestations');
const work = mkdtempSync(join(tmpdir(), 'jisr-att-png-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function rasterise(pages: PageInput[], name: string, dpi: number): Promise<string> {
  const pdf = (await renderPages(pages, loadLayout()))!;
  const pdfPath = join(work, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', pdfPath, join(work, name)]);
  return join(work, `${name}.png`);
}

const page = (kind: string, mode: PrintMode): PageInput => {
  const s = sampleContent(kind);
  return { content: s.content, qrText: mode === 'preview' ? null : s.qrText, mode };
};

describe('attestation PDFs against reference images', () => {
  it.each([
    ['participation', 'original'],
    ['participation', 'duplicata'],
    ['registration', 'original'],
    ['completion', 'preview'],
  ] as [string, PrintMode][])('%s (%s) matches its reference within tolerance', async (kind, mode) => {
    const name = `${kind}-${mode}`;
    const png = await rasterise([page(kind, mode)], name, 40);
    const ref = join(REF_DIR, `${name}.png`);
    if (process.env.UPDATE_ATTESTATION_REFERENCES === '1') writeFileSync(ref, readFileSync(png));
    if (!existsSync(ref)) throw new Error(`no reference image ${ref}: run with UPDATE_ATTESTATION_REFERENCES=1 and look at it`);
    const ratio = diffRatio(decodePng(readFileSync(png)), decodePng(readFileSync(ref)));
    expect(ratio).toBeLessThan(0.002);
  });

  it('tells a different page apart (the comparison can fail)', async () => {
    const png = await rasterise([page('participation', 'duplicata')], 'dup-vs-original', 40);
    const ratio = diffRatio(decodePng(readFileSync(png)), decodePng(readFileSync(join(REF_DIR, 'participation-original.png'))));
    expect(ratio).toBeGreaterThan(0.002);
  });

  it('prints a QR code that a scanner reads back, signed by the office key', async () => {
    const p = page('participation', 'original');
    const png = await rasterise([p], 'qr', 150);
    const out = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
    expect(out).toBe(p.qrText);
    const parsed = parseQr(out);
    expect(parsed.ok && verifyQrSignature(parsed, fixedKeyPair().publicKey)).toBe(true);
  });
});

describe('issued attestation read back from paper', () => {
  it('decodes the QR of an issued PDF with zbarimg and the core verifies it; a tampered copy is refused', async () => {
    const core = tempCore({ clock: () => new Date('2026-05-20T10:00:00Z') });
    try {
      const { token } = await setupOffice(core);
      const c = insertCohort(core.sqlite);
      const s = insertSessions(core.sqlite, c, 12);
      const a = participant(core.sqlite, c, s, 11, { firstNameLat: 'Nadia', lastNameLat: 'Ouhmad', firstNameAr: 'نادية', lastNameAr: 'أوحماد' });
      const issued = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
      const pdfPath = core.outbox.get(issued.fileId)!.path;
      execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', pdfPath, join(work, 'issued')]);
      const scanned = execFileSync('zbarimg', ['-q', '--raw', join(work, 'issued.png')], { encoding: 'utf8' }).trim();
      const v = await core.invoke('attestations.verify', { code: scanned }, { token });
      expect(v).toMatchObject({ verdict: 'valid', serial: issued.entry.serial, name: 'Nadia OUHMAD', hours: 33 });
      const [prefix, payload, sig] = scanned.split('.');
      const flipped = payload.slice(0, 10) + (payload[10] === 'x' ? 'y' : 'x') + payload.slice(11);
      expect((await core.invoke('attestations.verify', { code: `${prefix}.${flipped}.${sig}` }, { token })).verdict).toBe('tampered');
    } finally {
      await core.dispose();
    }
  });
});
