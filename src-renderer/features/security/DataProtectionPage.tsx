import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApplicantListItem } from '../../../src-main/shared/api/applicants.contract';
import type { RetentionPreview } from '../../../src-main/shared/api/security.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { PdfActions, type PdfFile } from '../../components/PdfActions';

type Msg = { ok: boolean; text: string } | null;

/** Law 09-08 duties for office heads: an applicant's access request, retention, the CNDP description. */
export function DataProtectionPage() {
  const { t } = useTranslation('security');
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ApplicantListItem[] | null>(null);
  const [years, setYears] = useState<number | ''>('');
  const [preview, setPreview] = useState<RetentionPreview | null>(null);
  // The PDFs just made (her access request, the CNDP description), each with its print button.
  const [accessPdf, setAccessPdf] = useState<(PdfFile & { applicantId: string }) | null>(null);
  const [descriptionPdf, setDescriptionPdf] = useState<PdfFile | null>(null);
  const onPdfError = (text: string) => setMsg({ ok: false, text });

  const run = async (f: () => Promise<string | null>) => {
    setBusy(true);
    try {
      const text = await f();
      setMsg(text ? { ok: true, text } : null);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const search = () =>
    run(async () => {
      setFound((await api.call('applicants.search', { q: q.trim(), limit: 20 })).items);
      return null;
    });
  const access = (applicantId: string, format: 'json' | 'pdf') =>
    run(async () => {
      const r = await api.call('dataProtection.accessRequest', { applicantId, format });
      setAccessPdf(format === 'pdf' ? { id: r.file.id, name: r.file.name, applicantId } : null);
      await api.saveFile(r.file.id, r.file.name);
      return t('dp.accessDone', { name: r.file.name });
    });
  const doPreview = () =>
    run(async () => {
      setPreview(await api.call('retention.preview', { ...(years === '' ? {} : { years }) }));
      return null;
    });
  const doRun = (p: RetentionPreview) =>
    run(async () => {
      if (!window.confirm(t('dp.runConfirm', { n: p.count, years: p.years }))) return null;
      const r = await api.call('retention.run', { years: p.years, expectedCount: p.count });
      setPreview(null);
      return t('dp.runDone', { n: r.anonymised });
    });
  const description = (format: 'md' | 'pdf') =>
    run(async () => {
      const r = await api.call('dataProtection.processingDescription', { format });
      setDescriptionPdf(format === 'pdf' ? { id: r.file.id, name: r.file.name } : null);
      await api.saveFile(r.file.id, r.file.name);
      return null;
    });

  return (
    <Stack>
      <Title order={2}>{t('dp.title')}</Title>
      {msg && (
        <Alert color={msg.ok ? 'green' : 'red'} data-testid="dp-message">
          {msg.text}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>{t('dp.access')}</Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void search();
            }}
          >
            <Group align="end">
              <TextInput label={t('dp.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="dp-search" />
              <Button type="submit" variant="default" loading={busy}>
                {t('audit.search')}
              </Button>
            </Group>
          </form>
          {found && found.length === 0 && <Text>{t('dp.none')}</Text>}
          {found && found.length > 0 && (
            <Table withTableBorder data-testid="dp-applicants">
              <Table.Tbody>
                {found.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{a.fileNo}</Table.Td>
                    <Table.Td>
                      {a.lastNameAr} {a.firstNameAr}
                    </Table.Td>
                    <Table.Td dir="ltr">{a.cin ?? '—'}</Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        <Button size="xs" variant="light" onClick={() => void access(a.id, 'pdf')}>PDF</Button>
                        <Button size="xs" variant="light" onClick={() => void access(a.id, 'json')}>JSON</Button>
                        {accessPdf?.applicantId === a.id && <PdfActions file={accessPdf} testId="dp-access-pdf" onError={onPdfError} />}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>{t('dp.retention')}</Title>
          <Group align="end">
            <NumberInput label={t('dp.years')} value={years} min={1} max={50} onChange={(v) => setYears(v === '' ? '' : Number(v))} data-testid="dp-years" />
            <Button variant="default" onClick={() => void doPreview()} loading={busy} data-testid="dp-preview">
              {t('dp.preview')}
            </Button>
          </Group>
          {preview && (
            <>
              <Text data-testid="dp-preview-result">{t('dp.previewResult', { n: preview.count, years: preview.years, cutoff: preview.cutoff.slice(0, 10) })}</Text>
              {preview.count > 0 && (
                <Button color="red" onClick={() => void doRun(preview)} loading={busy} data-testid="dp-run">
                  {t('dp.run', { n: preview.count })}
                </Button>
              )}
            </>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>{t('dp.description')}</Title>
          <Group>
            <Button variant="default" onClick={() => void description('pdf')} loading={busy} data-testid="dp-description">PDF</Button>
            <Button variant="default" onClick={() => void description('md')} loading={busy}>Markdown</Button>
          </Group>
          {descriptionPdf && <PdfActions file={descriptionPdf} testId="dp-description-pdf" onError={onPdfError} />}
        </Stack>
      </Paper>
    </Stack>
  );
}
