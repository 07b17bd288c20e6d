import { useRef, useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionAttachment } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useAuthSession } from '../../lib/auth-session';
import { useApiQuery } from '../../lib/useApi';
import { formatBytes, formatDateTime } from '../../../src-main/shared/format';
import { PdfActions, type PdfFile } from '../../components/PdfActions';

/**
 * A session's attendance sheet to print, and the signed sheets scanned back: attached through the app's upload
 * (the system dialog in the window, the page's file input in a browser), opened from here.
 */
export function SheetsBox({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('sessions');
  const tc = useTranslation('common').t;
  const { user, lang } = useAuthSession();
  const attachments = useApiQuery('sessions.attachments', { sessionId });
  const items: SessionAttachment[] = attachments.data ?? [];
  const [notice, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const msg = notice ?? (attachments.error ? { ok: false, text: attachments.error } : null);
  const [busy, setBusy] = useState(false);
  // The sheet just made, with its print button.
  const [sheet, setSheet] = useState<PdfFile | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const load = attachments.reload;

  const print = async () => {
    setMsg(null);
    try {
      const r = await api.call('sessions.sheet', { sessionId });
      setSheet({ id: r.fileId, name: r.fileName });
      await api.openFile(r.fileId);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const attach = async (uploads: { uploadId: string }[]) => {
    setBusy(true);
    setMsg(null);
    try {
      for (const u of uploads) await api.call('sessions.attachSheet', { sessionId, uploadId: u.uploadId });
      setMsg({ ok: true, text: t('sheets.attached') });
      await load();
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const pick = async () => {
    try {
      const picked = await api.pickFiles([{ name: t('sheets.scanFilter'), extensions: ['pdf', 'png', 'jpg', 'jpeg'] }], true);
      if (picked === null) input.current?.click(); // a browser: the page's own file input
      else if (picked.length) await attach(picked);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const onFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    try {
      const ups = [];
      for (const f of Array.from(files)) ups.push(await api.upload(f));
      await attach(ups);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      if (input.current) input.current.value = '';
    }
  };
  const open = async (a: SessionAttachment, how: 'open' | 'print' = 'open') => {
    try {
      const r = await api.call('sessions.openAttachment', { id: a.id });
      await (how === 'print' ? api.printFile(r.fileId) : api.openFile(r.fileId));
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };

  return (
    <Paper withBorder p="md" data-testid="sheets-box">
      <Stack gap="xs">
        <Title order={4}>{t('sheets.title')}</Title>
        <Text size="sm" c="dimmed">{t('sheets.help')}</Text>
        <Group>
          <Button variant="default" onClick={() => void print()} data-testid="sheet-print">{t('sheets.print')}</Button>
          {can(user.role, 'sessions.attachSheet') && (
            <Button loading={busy} onClick={() => void pick()} data-testid="sheet-attach">{t('sheets.attach')}</Button>
          )}
          <input ref={input} type="file" accept="application/pdf,image/png,image/jpeg" multiple hidden onChange={(e) => void onFiles(e.currentTarget.files)} data-testid="sheet-file" />
        </Group>
        {sheet && <PdfActions file={sheet} testId="sheet-pdf" onError={(text) => setMsg({ ok: false, text })} />}
        {items.length === 0 ? (
          <Text size="sm" data-testid="sheets-none">{t('sheets.none')}</Text>
        ) : (
          <Table striped data-testid="sheets-list">
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td><bdi>{a.fileName}</bdi></Table.Td>
                  <Table.Td><bdi>{formatBytes(a.size, lang)}</bdi></Table.Td>
                  <Table.Td><bdi>{formatDateTime(a.createdAt)}</bdi> · <bdi>{a.createdBy}</bdi></Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" onClick={() => void open(a)} data-testid="sheet-open">{t('sheets.open')}</Button>
                      {a.mime === 'application/pdf' && (
                        <Button size="compact-xs" variant="default" onClick={() => void open(a, 'print')} data-testid="sheet-attachment-print">{tc('pdf.print')}</Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {msg && <Alert color={msg.ok ? 'teal' : 'red'} data-testid="sheets-message">{msg.text}</Alert>}
      </Stack>
    </Paper>
  );
}

/** Every attendance sheet of a period (the week shown) in one PDF. */
export function WeekSheetsButton({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation('sessions');
  const [err, setErr] = useState<string | null>(null);
  const [sheets, setSheets] = useState<(PdfFile & { from: string; to: string }) | null>(null);
  const print = async () => {
    setErr(null);
    try {
      const r = await api.call('sessions.sheet', { from, to });
      setSheets({ id: r.fileId, name: r.fileName, from, to });
      await api.openFile(r.fileId);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  return (
    <>
      <Button variant="default" size="xs" onClick={() => void print()} data-testid="week-sheets">{t('sheets.printWeek')}</Button>
      {/* The week's PDF, while the same week is shown. */}
      {sheets && sheets.from === from && sheets.to === to && <PdfActions file={sheets} testId="week-pdf" onError={setErr} />}
      {err && <Alert color="red" data-testid="week-sheets-error">{err}</Alert>}
    </>
  );
}
