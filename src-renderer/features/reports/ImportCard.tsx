import { useRef, useState } from 'react';
import { Alert, Button, Group, Loader, NativeSelect, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportMapping,
  type ImportPreview,
  type ImportSummary,
} from '../../../src-main/shared/api/reports.contract';
import { api, asApiError } from '../../api/client';
import { codeText, errorText } from '../../lib/errors';
import { currentLang } from '../../i18n';
import { columnLetter, missingFor, sameMapping } from './import-mapping';
import { ConfirmCommunes, ImportCandidates, ImportSkipped, pairKey, type RowDecisions, type RowPairs } from './ImportMatches';

type Msg = { ok: boolean; text: string } | null;
type Upload = { uploadId: string; name: string };
/** What a check was run with: the import runs with exactly the same. */
/** Where the rows are: the sheet (by name; default the first with data) and the header row (default detected). */
type Source = { sheet?: string; headerRow?: number };
type Checked = { summary: ImportSummary; mapping: ImportMapping; source: Source; decisions: RowDecisions; pairs: RowPairs };

/**
 * Import of an office's existing list: choose a file → the detected header row and a proposed column
 * mapping the user can change, with the first rows → "check" (a dry run with that mapping: new,
 * duplicate and invalid rows with reasons, the rejected rows workbook) → "import" with the same mapping.
 */
export function ImportCard({ onImported }: { onImported?: () => void }) {
  const { t } = useTranslation('reports');
  const ref = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [source, setSource] = useState<Source>({});
  const [headerRow, setHeaderRow] = useState<number | string>('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [guessed, setGuessed] = useState(false);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [done, setDone] = useState<ImportSummary | null>(null);
  const [m, setM] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  // Per row, for people the matching engine found in the registry: import as new or attach (issue 13).
  const [decisions, setDecisions] = useState<RowDecisions>({});
  // Per pair of rows of the list that may be one woman: the same person or two people (taken before the import).
  const [pairs, setPairs] = useState<RowPairs>({});
  const [communesOk, setCommunesOk] = useState(false);
  const lang = currentLang();

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setM(null);
    try {
      await fn();
    } catch (e) {
      const err = asApiError(e);
      // The core refuses a mapping without the required fields: show which, translated.
      if (err.code === 'import.mapping_incomplete' && typeof err.params.missing === 'string') {
        setMissing(err.params.missing.split(/,\s*/).filter(Boolean));
      } else setM({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  /** Reads the file (the sheet and header row asked for): header row, proposed mapping, first rows. Nothing is checked yet. */
  const read = (u: Upload, src: Source) =>
    run(async () => {
      // Another file: the old preview goes. The same file read again (another sheet or header row) keeps it until the new one comes.
      if (u.uploadId !== upload?.uploadId) setPreview(null);
      setUpload(u);
      setChecked(null);
      setDone(null);
      setDecisions({});
      setPairs({});
      setCommunesOk(false);
      const base = { uploadId: u.uploadId, lang, ...src };
      let p: ImportPreview;
      let noHeader = false;
      try {
        p = await api.call('imports.preview', base);
      } catch (e) {
        if (asApiError(e).code !== 'import.header_not_found') throw e;
        // No recognisable header row: show the first row as headers and let the user map every column.
        p = await api.call('imports.preview', { ...base, mapping: {} });
        noHeader = true;
      }
      const proposed: ImportMapping = {};
      for (const c of p.columns) if (c.field) proposed[String(c.index)] = c.field;
      setSource(src);
      setPreview(p);
      setHeaderRow(p.headerRow);
      setGuessed(noHeader);
      setMapping(proposed);
      setMissing(p.missing);
    });

  const setField = (col: number, field: ImportField | '') => {
    const next: ImportMapping = {};
    for (const [k, f] of Object.entries(mapping)) if (k !== String(col) && f !== field) next[k] = f; // a field comes from one column
    if (field) next[String(col)] = field;
    setMapping(next);
    setMissing(missingFor(next));
  };

  const check = (dec: RowDecisions = decisions, rp: RowPairs = pairs) =>
    run(async () => {
      if (!upload) return;
      const used = { ...mapping };
      setDone(null);
      const summary = await api.call('imports.analyse', { uploadId: upload.uploadId, lang, ...source, mapping: used, decisions: dec, rowPairs: rp });
      setMissing([]);
      setChecked({ summary, mapping: used, source, decisions: dec, pairs: rp });
    });

  /** A decision about a row: the check runs again with it, so that what is shown is what the import will do. */
  const decide = (rowNo: number, d: 'new' | 'attach' | null) => {
    const next = { ...decisions };
    if (d) next[String(rowNo)] = d;
    else delete next[String(rowNo)];
    setDecisions(next);
    void check(next);
  };

  /** A decision about two rows of the list (same person / two people): checked again likewise. */
  const decidePair = (rowNo: number, otherRow: number, d: 'same' | 'different' | null) => {
    const next = { ...pairs };
    if (d) next[pairKey(rowNo, otherRow)] = d;
    else delete next[pairKey(rowNo, otherRow)];
    setPairs(next);
    void check(decisions, next);
  };

  const commit = () =>
    run(async () => {
      if (!upload || !checked) return;
      const r = await api.call('imports.commit', {
        uploadId: upload.uploadId,
        lang,
        ...checked.source,
        mapping: checked.mapping,
        decisions: checked.decisions,
        rowPairs: checked.pairs,
        confirmCommunes: communesOk,
      });
      setDone(r);
      setChecked(null);
      onImported?.();
    });

  const stale = checked !== null && !sameMapping(checked.mapping, mapping);
  const summary = checked?.summary ?? done;
  const fieldOptions = [{ value: '', label: t('import.ignore') }, ...IMPORT_FIELDS.map((f) => ({ value: f, label: t(`fields.${f}`) }))];

  return (
    <Paper withBorder p="md" data-testid="import-card">
      <Stack gap="sm">
        <Title order={4}>{t('import.title')}</Title>
        <Group align="end">
          <input
            ref={ref}
            type="file"
            hidden
            accept=".xlsx,.csv"
            data-testid="legacy-input"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void run(async () => read(await api.upload(f), {}));
            }}
          />
          <Button
            variant="default"
            data-testid="import-choose"
            onClick={() =>
              void run(async () => {
                // The system's open dialog in the window; the page's file input in a browser.
                const picked = await api.pickFiles([{ name: 'Excel', extensions: ['xlsx', 'csv'] }], false);
                if (picked === null) ref.current?.click();
                else if (picked[0]) await read(picked[0], {});
              })
            }
          >
            {t('import.choose')}
          </Button>
        </Group>
        {busy && <Loader size="sm" />}
        {m && (
          <Alert color={m.ok ? 'green' : 'red'} data-testid="import-error">
            {m.text}
          </Alert>
        )}

        {preview && upload && (
          <Stack gap="xs" data-testid="import-preview">
            <Text size="sm" data-testid="import-file">
              {t('import.file', { name: '\u2068' + upload.name + '\u2069', sheet: '\u2068' + preview.sheet + '\u2069', row: preview.headerRow, rows: preview.totalRows })}
            </Text>
            <Group align="end" gap="xs">
              {preview.sheets.length > 1 && (
                <NativeSelect
                  label={t('import.sheet')}
                  value={preview.sheet}
                  onChange={(e) => void read(upload, { sheet: e.currentTarget.value })}
                  data={preview.sheets}
                  dir="auto"
                  w={240}
                  data-testid="import-sheet"
                />
              )}
              <NumberInput label={t('import.headerRowLabel')} value={headerRow} onChange={setHeaderRow} min={1} max={1000} allowDecimal={false} w={140} data-testid="import-header-row" />
              <Button
                variant="subtle"
                data-testid="import-read-header"
                disabled={typeof headerRow !== 'number' || headerRow === preview.headerRow}
                onClick={() => typeof headerRow === 'number' && void read(upload, { ...source, headerRow })}
              >
                {t('import.readHeader')}
              </Button>
            </Group>
            {guessed && <Alert color="yellow">{t('import.headerGuessed')}</Alert>}
            <Title order={5}>{t('import.mappingTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('import.mappingHint')}
            </Text>
            <Table.ScrollContainer minWidth={Math.max(600, 160 * preview.columns.length + 120)} type="native">
              <Table withTableBorder withColumnBorders striped data-testid="import-mapping" style={{ tableLayout: 'fixed' }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={120}>{t('import.column')}</Table.Th>
                    {preview.columns.map((c) => (
                      <Table.Th key={c.index} w={160} data-testid={`map-letter-${c.index}`}>
                        <bdi>{columnLetter(c.index)}</bdi>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>{t('import.fileHeader')}</Table.Th>
                    {preview.columns.map((c) => (
                      <Table.Th key={c.index} data-testid={`map-header-${c.index}`}>
                        {c.header ? (
                          <Text size="sm" fw={600} dir="auto" lineClamp={2} title={c.header}>
                            {c.header}
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('import.emptyHeader')}
                          </Text>
                        )}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>{t('import.field')}</Table.Th>
                    {preview.columns.map((c) => (
                      <Table.Th key={c.index}>
                        <NativeSelect
                          size="xs"
                          aria-label={`${t('import.column')} ${columnLetter(c.index)}`}
                          value={mapping[String(c.index)] ?? ''}
                          data={fieldOptions}
                          onChange={(e) => setField(c.index, e.currentTarget.value as ImportField | '')}
                          data-testid={`map-col-${c.index}`}
                        />
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rows.map((r) => (
                    <Table.Tr key={r.rowNo} data-testid="import-preview-row">
                      <Table.Td>
                        <bdi>{r.rowNo}</bdi>
                      </Table.Td>
                      {preview.columns.map((c) => (
                        <Table.Td key={c.index}>
                          <Text size="sm" dir="auto" truncate title={r.cells[c.index] ?? ''}>
                            {r.cells[c.index] ?? ''}
                          </Text>
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Text size="xs" c="dimmed">
              {t('import.previewRows', { shown: preview.rows.length, total: preview.totalRows })}
            </Text>
            {missing.length > 0 ? (
              <Alert color="orange" data-testid="import-missing">
                {t('import.missing', { list: missing.map((x) => t(`required.${x}`, { defaultValue: x })).join(lang === 'ar' ? '، ' : ', ') })}
              </Alert>
            ) : (
              <Text size="sm" c="teal" data-testid="import-mapping-ok">
                {t('import.mappingOk')}
              </Text>
            )}
            <Group>
              <Button onClick={() => void check()} disabled={busy || missing.length > 0} data-testid="import-check">
                {t('import.check')}
              </Button>
            </Group>
          </Stack>
        )}

        {done && (
          <Alert color="green" data-testid="import-done">
            {t('import.done', { n: done.new })}
            {done.attached?.length > 0 && <> {t('import.attachedDone', { ns: 'matching', n: done.attached.length })}</>}
          </Alert>
        )}
        {stale && (
          <Alert color="yellow" data-testid="import-stale">
            {t('import.stale')}
          </Alert>
        )}
        {summary && (
          <>
            <Text data-testid="import-summary">
              <bdi>{upload?.name}</bdi> — {t('import.header', { row: summary.headerRow })} —{' '}
              {t('import.summary', { total: summary.total, new: summary.new, duplicate: summary.duplicate, invalid: summary.invalid })}
            </Text>
            <ImportSkipped summary={summary} />
            {checked && checked.summary.new === 0 && (
              <Text size="sm" c="dimmed" data-testid="import-nothing-new">
                {t('import.reimportNothing')}
              </Text>
            )}
            {(summary.invalidRows.length > 0 || summary.duplicates.length > 0) && (
              <Table striped data-testid="import-issues">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>{t('import.row')}</Table.Th>
                    <Table.Th>{t('import.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {summary.invalidRows.slice(0, 50).map((r) => (
                    <Table.Tr key={`i${r.rowNo}`}>
                      <Table.Td>
                        <bdi>{r.rowNo}</bdi>
                      </Table.Td>
                      <Table.Td>{r.reasons.map((x) => codeText(x.code, x.params ?? {})).join(' · ')}</Table.Td>
                    </Table.Tr>
                  ))}
                  {summary.duplicates.slice(0, 50).map((r) => (
                    <Table.Tr key={`d${r.rowNo}`}>
                      <Table.Td>
                        <bdi>{r.rowNo}</bdi>
                      </Table.Td>
                      <Table.Td>
                        {codeText(
                          { cin: 'import.duplicate_cin', name_birth: 'import.duplicate_person', already_imported: 'import.already_imported', repeated_in_file: 'import.repeated_in_file' }[r.reason],
                          { fileNo: r.fileNo ?? '', row: r.otherRow ?? '' },
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <ImportCandidates
              summary={summary}
              decisions={checked?.decisions ?? {}}
              pairs={checked?.pairs ?? {}}
              onDecide={checked ? decide : undefined}
              onDecidePair={checked ? decidePair : undefined}
              done={!checked}
            />
            {summary.approximateCommunes.length > 0 && (
              <Text size="sm" fw={600}>
                {t('import.approximate')}
              </Text>
            )}
            {summary.approximateCommunes.length > 0 && (
              <Table striped data-testid="import-approximate">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>{t('import.row')}</Table.Th>
                    <Table.Th>{t('import.given')}</Table.Th>
                    <Table.Th>{t('import.matched')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {summary.approximateCommunes.slice(0, 50).map((c) => (
                    <Table.Tr key={c.rowNo}>
                      <Table.Td>
                        <bdi>{c.rowNo}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <bdi>{c.given}</bdi>
                      </Table.Td>
                      <Table.Td>{lang === 'ar' ? c.nameAr : c.nameFr}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {checked && summary.approximateCommunes.length > 0 && <ConfirmCommunes checked={communesOk} onChange={setCommunesOk} />}
            <Group>
              {summary.rejects && (
                <Button variant="default" data-testid="import-rejects" onClick={() => run(() => api.saveFile(summary.rejects!.fileId, summary.rejects!.name))}>
                  {t('import.rejects')}
                </Button>
              )}
              {checked && (checked.summary.new > 0 || checked.summary.attached.length > 0) && !stale && (
                <Button data-testid="import-commit" disabled={busy || (checked.summary.approximateCommunes.length > 0 && !communesOk)} onClick={() => void commit()}>
                  {t('import.commit')}
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
