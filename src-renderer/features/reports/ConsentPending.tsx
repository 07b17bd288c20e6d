import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, Loader, Modal, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CONSENT_CHANNELS, type ConsentText } from '../../../src-main/shared/api/applicants.contract';
import type { ConsentPendingItem } from '../../../src-main/shared/api/reports.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { href } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { currentLang, type Lang } from '../../i18n';
import { displayName, showDate, today } from '../../lib/lookups';
import { ConsentTextView } from '../../components/ConsentTextView';
import { useApiQuery } from '../../lib/useApi';
import { DateField } from '../../components/DateField';

const PAGE = 20;

type Msg = { ok: boolean; text: string } | null;

/**
 * People imported from old lists whose consent (law 09-08) is to be confirmed, page by page, each with a
 * link to the file and the recording of her answer at the next contact (the information text is shown
 * first, as on the registration form). Shown to the roles that may call imports.consentPending.
 */
export function ConsentPending({ reload = 0 }: { reload?: number }) {
  const { t } = useTranslation('reports');
  const s = useAuthSession();
  const mayRecord = can(s.user.role, 'imports.recordConsent');
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; items: ConsentPendingItem[] } | null>(null);
  const [m, setM] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<ConsentPendingItem | null>(null);
  const lang = currentLang();

  const load = useCallback(async (at: number) => {
    setBusy(true);
    try {
      let r = await api.call('imports.consentPending', { offset: at, limit: PAGE });
      // The last file of the last page was recorded: show the page before.
      if (r.items.length === 0 && at > 0) {
        at = Math.max(0, Math.floor((r.total - 1) / PAGE) * PAGE);
        r = await api.call('imports.consentPending', { offset: at, limit: PAGE });
      }
      setOffset(at);
      setData(r);
    } catch (e) {
      setM({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }, []);

  // `reload` changes after an import: the page reloaded is the one shown (read from a ref, so that turning
  // pages, which loads by itself, does not load twice).
  const offsetRef = useRef(offset);
  offsetRef.current = offset;
  useEffect(() => {
    void load(offsetRef.current);
  }, [reload, load]);

  return (
    <Paper withBorder p="md" data-testid="consent-list">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('consent.title')}</Title>
          {data && (
            <Text size="sm" data-testid="consent-pending">
              {t('consent.count', { n: data.total })}
            </Text>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('consent.hint')}
        </Text>
        {m && (
          <Alert color={m.ok ? 'green' : 'red'} data-testid="consent-message">
            {m.text}
          </Alert>
        )}
        {busy && !data && <Loader size="sm" />}
        {data && data.total === 0 && (
          <Text size="sm" c="dimmed" data-testid="consent-empty">
            {t('consent.empty')}
          </Text>
        )}
        {data && data.items.length > 0 && (
          <>
            <Table.ScrollContainer minWidth={760} type="native">
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('consent.fileNo')}</Table.Th>
                    <Table.Th>{t('consent.name')}</Table.Th>
                    <Table.Th>{t('consent.cin')}</Table.Th>
                    <Table.Th>{t('consent.phone')}</Table.Th>
                    <Table.Th>{t('consent.commune')}</Table.Th>
                    <Table.Th>{t('consent.importedAt')}</Table.Th>
                    {mayRecord && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((a) => {
                    const n = displayName(a, lang);
                    return (
                      <Table.Tr key={a.id} data-testid={`consent-row-${a.fileNo}`}>
                        <Table.Td>
                          <Anchor href={href('applicants', a.id)} data-testid={`consent-link-${a.fileNo}`}>
                            <bdi>{a.fileNo}</bdi>
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" dir="auto">
                            {n.main}
                          </Text>
                          {n.other && (
                            <Text size="xs" c="dimmed" dir="auto">
                              {n.other}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <bdi>{a.cin ?? ''}</bdi>
                        </Table.Td>
                        <Table.Td>
                          <bdi dir="ltr">{a.phone ?? ''}</bdi>
                        </Table.Td>
                        <Table.Td>{(lang === 'ar' ? a.communeNameAr : a.communeNameFr) ?? ''}</Table.Td>
                        <Table.Td>
                          <bdi>{showDate(a.createdAt)}</bdi>
                        </Table.Td>
                        {mayRecord && (
                          <Table.Td>
                            <Button size="xs" variant="light" onClick={() => setOpen(a)} data-testid={`consent-record-${a.fileNo}`}>
                              {t('consent.record')}
                            </Button>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {data.total > PAGE && (
              <Group gap="xs" data-testid="consent-pager">
                <Button size="xs" variant="default" disabled={offset === 0 || busy} onClick={() => void load(Math.max(0, offset - PAGE))}>
                  {t('consent.previous')}
                </Button>
                <Text size="sm">
                  <bdi>{t('consent.page', { from: offset + 1, to: Math.min(offset + PAGE, data.total), total: data.total })}</bdi>
                </Text>
                <Button size="xs" variant="default" disabled={offset + PAGE >= data.total || busy} onClick={() => void load(offset + PAGE)}>
                  {t('consent.next')}
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
      {open && (
        <RecordConsent
          item={open}
          onClose={() => setOpen(null)}
          onRecorded={(decision) => {
            setOpen(null);
            setM({ ok: true, text: t(decision === 'given' ? 'consent.recordedGiven' : 'consent.recordedRefused', { fileNo: '\u2068' + open.fileNo + '\u2069' }) });
            void load(offset);
          }}
        />
      )}
    </Paper>
  );
}

/** The information text (as on the registration form), then the person's answer: given or refused. */
function RecordConsent({ item, onClose, onRecorded }: { item: ConsentPendingItem; onClose: () => void; onRecorded: (d: 'given' | 'refused') => void }) {
  const { t } = useTranslation('reports');
  const consentText = useApiQuery('applicants.consentText', {});
  const text: ConsentText | null = consentText.data;
  const [textLang, setTextLang] = useState<Lang>(currentLang());
  const [agrees, setAgrees] = useState(false);
  const [channel, setChannel] = useState<(typeof CONSENT_CHANNELS)[number]>('paper');
  const [date, setDate] = useState(today());
  const [recordErr, setErr] = useState<string | null>(null);
  const err = recordErr ?? consentText.error;
  const [busy, setBusy] = useState(false);


  const record = async (decision: 'given' | 'refused') => {
    setBusy(true);
    setErr(null);
    try {
      await api.call('imports.recordConsent', { id: item.id, decision, date, channel, ...(text ? { textVersion: text.version } : {}) });
      onRecorded(decision);
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} size="lg" centered title={<span>{t('consent.modalTitle', { fileNo: '\u2068' + item.fileNo + '\u2069' })}</span>}>
      <Stack gap="sm" data-testid="consent-modal">
        <Text size="sm" dir="auto">
          {displayName(item, currentLang()).main}
        </Text>
        <Text size="sm" c="dimmed">
          {t('consent.readFirst')}
        </Text>
        {!text && !err && <Loader size="sm" />}
        {text && (
          <>
            <SegmentedControl
              size="xs"
              aria-label={t('consent.textLang')}
              value={textLang}
              onChange={(v) => setTextLang(v as Lang)}
              data={[
                { value: 'ar', label: 'العربية' },
                { value: 'fr', label: 'Français' },
              ]}
            />
            <ConsentTextView text={text} lang={textLang} maxHeight={260} testId="consent-modal-text" />
            <Text size="xs" c="dimmed">
              {t('consent.version', { version: '\u2068' + text.version + '\u2069' })}
            </Text>
          </>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('consent.channel')}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value as (typeof CONSENT_CHANNELS)[number])}
            data={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`consent.channels.${c}`) }))}
            data-testid="consent-modal-channel"
          />
          <DateField label={t('consent.date')} value={date} onChange={setDate} data-testid="consent-modal-date" />
        </SimpleGrid>
        <Checkbox label={t('consent.agrees')} checked={agrees} onChange={(e) => setAgrees(e.currentTarget.checked)} disabled={!text} data-testid="consent-modal-agrees" />
        {err && <Alert color="red">{err}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('consent.cancel')}
          </Button>
          <Button color="red" variant="light" disabled={busy || !text} onClick={() => void record('refused')} data-testid="consent-modal-refused">
            {t('consent.refused')}
          </Button>
          <Button disabled={busy || !text || !agrees} onClick={() => void record('given')} data-testid="consent-modal-given">
            {t('consent.given')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
