import { useState } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Modal, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FolderBrowse } from '../../../src-main/shared/api/security.contract';
import { useApiQuery } from '../../lib/useApi';

export type FolderRef = { root: string; rel: string[] };

/**
 * The web bridge's folder browser for the backup folder (issue 15): the machine's removable drives first, then
 * its drives and the home folder; the administrator opens folders and chooses one. The page never sees or sends
 * a path: a folder is a root's id and folder names (`backup.browseFolders`, resolved and checked by the backend).
 */
export function FolderBrowser({ opened, onClose, onChoose }: { opened: boolean; onClose: () => void; onChoose: (ref: FolderRef) => void }) {
  const { t } = useTranslation('security');
  const [at, setAt] = useState<FolderRef | null>(null);
  const q = useApiQuery('backup.browseFolders', opened ? (at ? { at } : {}) : null);
  const data: FolderBrowse | null = q.data;
  const rootLabel = (r: FolderBrowse['roots'][number]) => (r.kind === 'home' ? t('browse.home') : r.kind === 'removable' ? t('browse.removable', { name: r.name }) : t('browse.drive', { name: r.name }));
  const root = data?.roots.find((r) => r.id === at?.root);
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={t('browse.title')} data-testid="folder-browser">
      <Stack>
        <Text size="sm">{t('browse.hint')}</Text>
        {at && root && (
          <Breadcrumbs separator="›" data-testid="folder-browser-crumbs">
            <Anchor component="button" type="button" onClick={() => setAt(null)}>
              {t('browse.places')}
            </Anchor>
            <Anchor component="button" type="button" onClick={() => setAt({ root: at.root, rel: [] })}>
              {rootLabel(root)}
            </Anchor>
            {at.rel.map((n, i) => (
              <Anchor key={i} component="button" type="button" onClick={() => setAt({ root: at.root, rel: at.rel.slice(0, i + 1) })}>
                <bdi>{n}</bdi>
              </Anchor>
            ))}
          </Breadcrumbs>
        )}
        {q.error && <Alert color="red">{q.error}</Alert>}
        {q.loading && !data && <Loader size="sm" />}
        <ScrollArea.Autosize mah={320}>
          <Stack gap={2} data-testid="folder-browser-list">
            {data && !at &&
              data.roots.map((r) => (
                <NavLink key={r.id} label={rootLabel(r)} onClick={() => setAt({ root: r.id, rel: [] })} data-testid={`folder-root-${r.kind}`} />
              ))}
            {data && at && data.folders.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('browse.empty')}
              </Text>
            )}
            {data &&
              at &&
              data.folders.map((f) => <NavLink key={f} label={<bdi>{f}</bdi>} onClick={() => setAt({ root: at.root, rel: [...at.rel, f] })} data-testid="folder-entry" />)}
          </Stack>
        </ScrollArea.Autosize>
        {data?.at && (
          <Text size="sm">
            {t('browse.current')} <bdi dir="ltr" data-testid="folder-browser-current">{data.at.shown}</bdi>
          </Text>
        )}
        <Group>
          <Button disabled={!at} onClick={() => at && onChoose(at)} data-testid="folder-browser-choose">
            {t('browse.choose')}
          </Button>
          <Button variant="default" onClick={onClose}>
            {t('browse.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
