import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditListItem, AuditVerifyResult } from '../../../src-main/shared/api/security.contract';
import { api } from '../../api/client';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';

const PAGE_SIZE = 50;
const fmtAt = (iso: string) => formatDateTime(iso);
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

interface Filters {
  actor: string;
  method: string;
  entity: string;
  entityId: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { actor: '', method: '', entity: '', entityId: '', from: '', to: '' };

/** The audit trail for office heads: filters, pages, field changes from → to, and the chain check. */
export function AuditPage() {
  const { t } = useTranslation('security');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: AuditListItem[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<AuditVerifyResult | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async () => {
    const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ''));
    if (f.to) f.to = `${f.to}T23:59:59.999Z`;
    try {
      setData(await api.call('audit.list', { ...f, page, pageSize: PAGE_SIZE }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [filters, page]);
  useEffect(() => void load(), [load]);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerdict(await api.call('audit.verify', {}));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setVerifying(false);
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const field = (k: keyof Filters, type = 'text') => (
    <TextInput
      label={t(`audit.${k}`)}
      type={type}
      value={draft[k]}
      data-testid={`audit-${k}`}
      onChange={(e) => {
        const v = e.currentTarget.value;
        setDraft((d) => ({ ...d, [k]: v }));
      }}
    />
  );

  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setFilters(draft);
          }}
        >
          <Group align="end">
            {field('actor')}
            {field('method')}
            {field('entity')}
            {field('entityId')}
            {field('from', 'date')}
            {field('to', 'date')}
            <Button type="submit" data-testid="audit-search">
              {t('audit.search')}
            </Button>
          </Group>
        </form>
      </Paper>
      <Group>
        <Button variant="default" onClick={() => void verify()} loading={verifying} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </Group>
      {verdict && (
        <Alert color={verdict.ok && verdict.anchors.mismatches.length === 0 ? 'green' : 'red'} data-testid="audit-verdict">
          {verdict.ok
            ? t('audit.verifyOk', { rows: verdict.rows, checked: verdict.anchors.checked })
            : t('audit.verifyBad', { id: verdict.firstBad?.id, reason: verdict.firstBad ? t(`audit.reason.${verdict.firstBad.reason}`) : '' })}
          {verdict.anchors.mismatches.length > 0 && ` ${t('audit.verifyAnchors', { n: verdict.anchors.mismatches.length })}`}
          {verdict.anchored.broken.length > 0 && ` ${t('audit.anchorBroken', { n: verdict.anchored.broken.length })}`}
          <Text size="sm" mt={4} data-testid="audit-anchored">
            {t('audit.anchoredUpTo', { rows: verdict.anchored.rows - verdict.anchored.unanchoredRows, total: verdict.anchored.rows })}
          </Text>
        </Alert>
      )}
      {error && (
        <Alert color="red" data-testid="audit-error">
          {error}
        </Alert>
      )}
      {data && (
        <>
          <Text size="sm" c="dimmed">
            {t('audit.total', { n: data.total })}
          </Text>
          {data.items.length === 0 ? (
            <Text>{t('audit.empty')}</Text>
          ) : (
            <Table striped withTableBorder data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.at')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.method')}</Table.Th>
                  <Table.Th>{t('audit.record')}</Table.Th>
                  <Table.Th>{t('audit.changes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((it) => (
                  <Table.Tr key={it.id} data-testid="audit-row">
                    <Table.Td>{fmtAt(it.at)}</Table.Td>
                    <Table.Td>{it.actorName}</Table.Td>
                    <Table.Td>
                      <Code>{it.method}</Code>
                    </Table.Td>
                    <Table.Td>
                      {it.entity ?? '—'}
                      {it.entityId && <Text size="xs" c="dimmed">{it.entityId}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {it.changes &&
                        Object.entries(it.changes).map(([k, [from, to]]) => (
                          <Text size="xs" key={k} data-testid="audit-change">
                            <b>{k}</b>: <bdi>{show(from)}</bdi> {t('audit.arrow')} <bdi>{show(to)}</bdi>
                          </Text>
                        ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group>
            <Button variant="default" disabled={page <= 1} onClick={() => setPage((p) => p - 1)} data-testid="audit-prev">
              {t('audit.prev')}
            </Button>
            <Text size="sm">{t('audit.page', { page, pages })}</Text>
            <Button variant="default" disabled={page >= pages} onClick={() => setPage((p) => p + 1)} data-testid="audit-next">
              {t('audit.next')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
