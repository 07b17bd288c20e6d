import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BackupCheck, BackupFileInfo, BackupSettingsInfo } from '../../../src-main/shared/api/security.contract';
import { api } from '../../api/client';
import { codeText, errorText } from '../../lib/errors';
import { FolderBrowser, type FolderRef } from './FolderBrowser';
import { bytes, formatDateTime } from '../../lib/format';
import { useAuthSession } from '../../lib/auth-session';
import { RecoverySheetCard } from '../../components/RecoveryPanels';
import { useApiQuery } from '../../lib/useApi';

type Msg = { ok: boolean; text: string } | null;
// Local time dd/mm/yyyy HH:mm and sizes in Ko / ك.ب with the decimal comma (docs/FORMAT.md).
const fmtAt = (iso: string) => formatDateTime(iso);
const fmtSize = (n: number) => bytes(n);

/** Backups for office heads: settings, a backup now, the folder's files, check then restore one. */
export function BackupsPage() {
  const { t } = useTranslation('security');
  const s = useAuthSession();
  // Where backups go is the administrator's choice only (the backend refuses it from anyone else).
  const mayChooseFolder = s.user.role === 'admin';
  const settingsQuery = useApiQuery('backup.settings', {});
  const settings: BackupSettingsInfo | null = settingsQuery.data;
  // The folder's files, once there is a folder.
  const hasFolder = Boolean(settings?.folder);
  const listQuery = useApiQuery('backup.list', {}, { enabled: hasFolder });
  const files: BackupFileInfo[] = hasFolder ? (listQuery.data?.files ?? []) : [];
  const [browsing, setBrowsing] = useState(false);
  const [keep, setKeep] = useState<number>(10);
  const [passphrase, setPassphrase] = useState('');
  const [notice, setMsg] = useState<Msg>(null);
  const loadError = settingsQuery.error ?? listQuery.error;
  const msg: Msg = notice ?? (loadError ? { ok: false, text: loadError } : null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [checkPass, setCheckPass] = useState('');
  const [checked, setChecked] = useState<BackupCheck | null>(null);
  const [confirmWord, setConfirmWord] = useState('');
  // A backup from elsewhere (another PC, a stick): uploaded into the app, named by its upload id, never by a path.
  const [uploaded, setUploaded] = useState<{ uploadId: string; name: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // The form shows the saved settings (again after each save).
  useEffect(() => {
    if (!settings) return;
    setKeep(settings.keep);
  }, [settings]);
  const load = async () => {
    await settingsQuery.reload();
    // A folder chosen just now starts the list by itself (enabled); one already there is read again.
    if (hasFolder) await listQuery.reload();
  };

  const run = async (f: () => Promise<string>) => {
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

  const chooseFolder = () =>
    run(async () => {
      const picked = await api.pickFolder();
      if (picked === null) {
        setBrowsing(true); // a browser: the backend's folder browser
        return '';
      }
      if (!picked.folder) return '';
      await api.call('backup.updateSettings', { folder: picked.folder });
      await load();
      return t('backups.saved');
    });
  const setFolderRef = (folderRef: FolderRef) =>
    run(async () => {
      await api.call('backup.updateSettings', { folderRef });
      setBrowsing(false);
      await load();
      return t('backups.saved');
    });
  const save = () =>
    run(async () => {
      await api.call('backup.updateSettings', { keep, ...(passphrase ? { passphrase } : {}) });
      setPassphrase('');
      await load();
      return t('backups.saved');
    });
  const create = () =>
    run(async () => {
      const r = await api.call('backup.create', { trigger: 'manual' });
      await load();
      return t('backups.created', { name: r.fileName });
    });
  type Source = { name: string } | { uploadId: string };
  const check = (source: Source) =>
    run(async () => {
      setChecked(null);
      const c = await api.call('backup.check', { ...source, passphrase: checkPass });
      setChecked(c);
      return t('backups.checked', { at: fmtAt(c.createdAt) });
    });
  const restore = (source: Source) =>
    run(async () => {
      await api.call('backup.restore', { ...source, passphrase: checkPass });
      setChecked(null);
      setSelected(null);
      setConfirmWord('');
      return t('backups.restored');
    });

  return (
    <Stack>
      <Title order={2}>{t('backups.title')}</Title>
      {s.user.role === 'admin' && <RecoverySheetCard />}
      {msg && (
        <Alert color={msg.ok ? 'green' : 'red'} data-testid="backups-message">
          {msg.text}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>{t('backups.settings')}</Title>
          {/* The folder is chosen, never typed: the system's folder dialog in the window, the folder browser in a browser. */}
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('backups.folder')}
            </Text>
            <Group>
              <Text data-testid="backups-folder" c={settings?.folder ? undefined : 'dimmed'}>
                {settings?.folder ? <bdi dir="ltr">{settings.folder}</bdi> : t('backups.noFolderYet')}
              </Text>
              {mayChooseFolder && (
                <Button size="xs" variant="default" onClick={() => void chooseFolder()} loading={busy} data-testid="backups-choose-folder">
                  {t('backups.chooseFolder')}
                </Button>
              )}
            </Group>
            {!mayChooseFolder && (
              <Text size="xs" c="dimmed">
                {t('backups.folderAdminOnly')}
              </Text>
            )}
          </Stack>
          <FolderBrowser opened={browsing} onClose={() => setBrowsing(false)} onChoose={(ref) => void setFolderRef(ref)} />
          <NumberInput label={t('backups.keep')} value={keep} min={1} max={365} onChange={(v) => setKeep(typeof v === 'number' ? v : Number(v) || 1)} data-testid="backups-keep" />
          <PasswordInput
            label={t('backups.passphrase')}
            description={settings?.hasPassphrase ? t('backups.passphraseSet') : undefined}
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            data-testid="backups-passphrase"
          />
          <Group>
            <Button onClick={() => void save()} loading={busy} data-testid="backups-save">
              {t('backups.save')}
            </Button>
            <Button variant="default" onClick={() => void create()} loading={busy} disabled={!settings || settings.cannotBackUp !== null} data-testid="backups-create">
              {t('backups.createNow')}
            </Button>
          </Group>
          {settings?.cannotBackUp && (
            <Text size="sm" c="red.9" data-testid="backups-cannot">
              {t('backups.cannot', { reason: codeText(settings.cannotBackUp.code, settings.cannotBackUp.params ?? {}) })}
            </Text>
          )}
          {settings?.lastBackup && (
            <Text size="sm" c={settings.lastBackup.ok ? 'dimmed' : 'red'}>
              {t('backups.last', { at: fmtAt(settings.lastBackup.at) })} {settings.lastBackup.fileName ?? ''}
            </Text>
          )}
        </Stack>
      </Paper>
      <Title order={4}>{t('backups.files')}</Title>
      {files.length === 0 ? (
        <Text>{t('backups.empty')}</Text>
      ) : (
        <Table withTableBorder data-testid="backups-files">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('backups.name')}</Table.Th>
              <Table.Th>{t('backups.at')}</Table.Th>
              <Table.Th>{t('backups.size')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {files.map((f) => (
              <Table.Tr key={f.name} data-testid="backup-row">
                <Table.Td dir="ltr">{f.name}</Table.Td>
                <Table.Td>{fmtAt(f.at)}</Table.Td>
                <Table.Td>{fmtSize(f.size)}</Table.Td>
                <Table.Td>
                  {selected === f.name ? (
                    checkAndRestore({ name: f.name })
                  ) : (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => {
                        setSelected(f.name);
                        setUploaded(null);
                        setChecked(null);
                        setCheckPass('');
                        setConfirmWord('');
                      }}
                    >
                      {t('backups.check')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={5}>{t('backups.fromFile')}</Title>
          <Text size="sm" c="dimmed">
            {t('backups.fromFileHint')}
          </Text>
          <input
            ref={fileInput}
            type="file"
            hidden
            accept=".jisrbak"
            data-testid="backup-upload-input"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void run(async () => chosen(await api.upload(f)));
            }}
          />
          <Group>
            <Button
              variant="default"
              data-testid="backup-upload-choose"
              onClick={() =>
                void run(async () => {
                  // The system's open dialog in the window; the page's file input in a browser.
                  const picked = await api.pickFiles([{ name: 'Jisr', extensions: ['jisrbak'] }], false);
                  if (picked === null) {
                    fileInput.current?.click();
                    return '';
                  }
                  return picked[0] ? chosen(picked[0]) : '';
                })
              }
            >
              {t('backups.fromFileChoose')}
            </Button>
            {uploaded && (
              <Text size="sm" data-testid="backup-upload-name">
                <bdi>{uploaded.name}</bdi>
              </Text>
            )}
          </Group>
          {uploaded && selected === 'upload' && checkAndRestore({ uploadId: uploaded.uploadId })}
        </Stack>
      </Paper>
    </Stack>
  );

  function chosen(u: { uploadId: string; name: string }): string {
    setUploaded(u);
    setSelected('upload');
    setChecked(null);
    setCheckPass('');
    setConfirmWord('');
    return t('backups.fromFileReady');
  }

  /** The passphrase, the check, then the typed confirmation and the restore, for one backup. */
  function checkAndRestore(source: Source) {
    return (
      <Stack gap="xs">
        <PasswordInput size="xs" label={t('backups.checkPassphrase')} value={checkPass} onChange={(e) => setCheckPass(e.currentTarget.value)} data-testid="backup-check-pass" />
        <Button size="xs" variant="default" onClick={() => void check(source)} disabled={!checkPass} loading={busy} data-testid="backup-check">
          {t('backups.check')}
        </Button>
        {checked && (
          <>
            <Text size="xs">{t('backups.restoreConfirm')}</Text>
            <TextInput size="xs" value={confirmWord} onChange={(e) => setConfirmWord(e.currentTarget.value)} data-testid="backup-restore-word" />
            <Button size="xs" color="red" disabled={confirmWord.trim() !== t('backups.restoreWord')} onClick={() => void restore(source)} loading={busy} data-testid="backup-restore">
              {t('backups.restore')}
            </Button>
          </>
        )}
      </Stack>
    );
  }
}
