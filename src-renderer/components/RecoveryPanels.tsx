import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, FileInput, Group, List, Paper, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { errorText } from '../lib/errors';
import { PdfActions, PrintButton, type PdfFile } from './PdfActions';

type Msg = { ok: boolean; text: string } | null;

function Feedback({ msg, testId }: { msg: Msg; testId: string }) {
  if (!msg) return null;
  return (
    <Alert color={msg.ok ? 'green' : 'red'} role={msg.ok ? 'status' : 'alert'} data-testid={testId}>
      {msg.text}
    </Alert>
  );
}

/** On a fresh installation (setup screen): a backup file and the sheet's 12 words restore the office. */
export function RestoreWithRecovery(props: { onDone: () => void }) {
  const { t } = useTranslation('recovery');
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [words, setWords] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  if (!open) {
    return (
      <Anchor component="button" type="button" onClick={() => setOpen(true)} data-testid="recovery-restore-open">
        {t('restoreLink')}
      </Anchor>
    );
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setMsg(null);
    try {
      const up = await api.upload(file);
      await api.call('recovery.restoreBackup', { uploadId: up.uploadId, words });
      setMsg({ ok: true, text: t('restored') });
      props.onDone();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} data-testid="recovery-restore-form">
        <Stack>
          <Title order={2} size="h4">
            {t('restoreTitle')}
          </Title>
          <Text size="sm">{t('restoreIntro')}</Text>
          <FileInput label={t('backupFile')} accept=".jisrbak" value={file} onChange={setFile} required data-testid="recovery-backup-file" />
          <Textarea label={t('words')} description={t('wordsHint')} dir="ltr" lang="fr" autosize minRows={2} value={words} onChange={(e) => setWords(e.currentTarget.value)} required data-testid="recovery-words" />
          <Feedback msg={msg} testId="recovery-restore-message" />
          <Button type="submit" loading={busy} disabled={!file} data-testid="recovery-restore-submit">
            {t('restoreSubmit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

/** On the login screen: the sheet's words unlock an administrator and set a new password. */
export function UnlockAdminWithRecovery() {
  const { t } = useTranslation('recovery');
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState('');
  const [words, setWords] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  if (!open) {
    return (
      <Anchor component="button" type="button" size="sm" onClick={() => setOpen(true)} data-testid="recovery-unlock-open">
        {t('unlockLink')}
      </Anchor>
    );
  }
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setMsg(null);
    if (password !== confirm) return setMsg({ ok: false, text: t('mismatch') });
    setBusy(true);
    try {
      await api.call('recovery.unlockAdmin', { username, words, newPassword: password });
      setMsg({ ok: true, text: t('unlocked') });
      setWords('');
      setPassword('');
      setConfirm('');
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} data-testid="recovery-unlock-form">
      <Stack>
        <Title order={2} size="h4">
          {t('unlockTitle')}
        </Title>
        <Text size="sm">{t('unlockIntro')}</Text>
        <TextInput label={t('username')} dir="ltr" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required data-testid="recovery-unlock-username" />
        <Textarea label={t('words')} description={t('wordsHint')} dir="ltr" lang="fr" autosize minRows={2} value={words} onChange={(e) => setWords(e.currentTarget.value)} required data-testid="recovery-unlock-words" />
        <PasswordInput label={t('newPassword')} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required data-testid="recovery-unlock-password" />
        <PasswordInput label={t('confirmPassword')} autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} required data-testid="recovery-unlock-confirm" />
        <Feedback msg={msg} testId="recovery-unlock-message" />
        <Button type="submit" loading={busy} data-testid="recovery-unlock-submit">
          {t('unlockSubmit')}
        </Button>
        <Anchor component="button" type="button" size="sm" onClick={() => setOpen(false)}>
          {t('back')}
        </Anchor>
      </Stack>
    </form>
  );
}

/** For the administrator: print the recovery sheet (PDF) to keep in the office safe. */
export function RecoverySheetCard() {
  const { t } = useTranslation('recovery');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const [sheet, setSheet] = useState<PdfFile | null>(null);
  const print = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const r = await api.call('recovery.sheet', {});
      setSheet({ id: r.file.id, name: r.file.name });
      await api.openFile(r.file.id);
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="recovery-sheet-card">
      <Stack>
        <Title order={2} size="h4">
          {t('sheetTitle')}
        </Title>
        <Text size="sm">{t('sheetIntro')}</Text>
        <Feedback msg={msg} testId="recovery-sheet-message" />
        <Button onClick={print} loading={busy} data-testid="recovery-sheet-print">
          {t('sheetPrint')}
        </Button>
        {sheet && <PdfActions file={sheet} testId="recovery-pdf" onError={(text) => setMsg({ ok: false, text })} />}
      </Stack>
    </Paper>
  );
}

/**
 * Right after setup (issue 16): the administrator gets the recovery sheet (PDF: the office, the date, the 12 words
 * and their QR code), opens or downloads it, prints it and confirms it is kept in the office safe before going on.
 * The database is encrypted from the first minute: without the sheet, a broken computer loses the office's data.
 */
export function RecoverySheetStep(props: { onDone: () => void }) {
  const { t } = useTranslation('recovery');
  const [file, setFile] = useState<{ id: string; name: string } | null>(null);
  const [kept, setKept] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const get = async (how: 'open' | 'save') => {
    setBusy(true);
    setMsg(null);
    try {
      // Made once; printing again later is on the Backups screen (each print is audited).
      const f = file ?? (await api.call('recovery.sheet', {})).file;
      setFile({ id: f.id, name: f.name });
      if (how === 'open') await api.openFile(f.id);
      else await api.saveFile(f.id, f.name);
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack data-testid="setup-recovery-step">
      <Title order={1} size="h2">
        {t('setupSheet.title')}
      </Title>
      <Text>{t('setupSheet.intro')}</Text>
      <List spacing={4} size="sm">
        <List.Item>{t('setupSheet.opens')}</List.Item>
        <List.Item>{t('setupSheet.unlocks')}</List.Item>
        <List.Item>{t('setupSheet.safe')}</List.Item>
      </List>
      <Group>
        <Button onClick={() => void get('open')} loading={busy} data-testid="setup-recovery-open">
          {t('setupSheet.open')}
        </Button>
        <Button variant="default" onClick={() => void get('save')} loading={busy} data-testid="setup-recovery-save">
          {t('setupSheet.save')}
        </Button>
        {file && <PrintButton fileId={file.id} size="sm" testId="setup-recovery-print" onError={(text) => setMsg({ ok: false, text })} />}
      </Group>
      <Feedback msg={msg} testId="setup-recovery-message" />
      <Checkbox
        label={t('setupSheet.confirm')}
        checked={kept}
        disabled={!file}
        onChange={(e) => setKept(e.currentTarget.checked)}
        data-testid="setup-recovery-kept"
      />
      {!file && (
        <Text size="sm" c="dimmed">
          {t('setupSheet.first')}
        </Text>
      )}
      <Button onClick={props.onDone} disabled={!file || !kept} data-testid="setup-recovery-continue">
        {t('setupSheet.continue')}
      </Button>
    </Stack>
  );
}
