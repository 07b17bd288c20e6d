import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditListItem, AuditVerifyResult } from '../../../src-main/shared/api/security.contract';
import { api } from '../../api/client';
import { useApiAction, useApiQuery } from '../../lib/useApi';
import { formatDateTime } from '../../lib/format';
import { AUDIT_ACTIONS, actionLabel, auditFieldLabel, auditSentence, auditValue } from '../../../src-main/shared/i18n/audit-words';
import type { UserInfo } from '../../../src-main/shared/api/accounts.contract';
import { currentLang } from '../../i18n';
import { DateField } from '../../components/DateField';

const PAGE_SIZE = 50;
const fmtAt = (iso: string) => formatDateTime(iso);

interface Filters {
  actor: string;
  method: string;
  file: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { actor: '', method: '', file: '', from: '', to: '' };

/** Words of the audit screen not shared with the rest of security (issue 15: the trail read as sentences). */
const W = {
  ar: { person: 'الشخص', action: 'العملية', file: 'الملف (الرقم أو الاسم أو البطاقة الوطنية)', all: 'الكل', what: 'ما وقع', changed: '{{field}}: من «{{from}}» إلى «{{to}}»', changedBare: 'تغيير في {{field}}', detail: 'معلومة أخرى', cli: 'سطر الأوامر ({{name}})', system: 'التطبيق', anonymous: 'شخص لم يسجل دخوله ({{name}})', anonymousBare: 'شخص لم يسجل دخوله' },
  fr: { person: 'Personne', action: 'Action', file: 'Dossier (numéro, nom ou CIN)', all: 'Tous', what: 'Ce qui s’est passé', changed: '{{field}} : de « {{from}} » à « {{to}} »', changedBare: '{{field}} modifié(e)', detail: 'Autre donnée', cli: 'Ligne de commande ({{name}})', system: 'L’application', anonymous: 'Personne non connectée ({{name}})', anonymousBare: 'Une personne non connectée' },
} as const;
const fill = (tpl: string, p: Record<string, string>) => tpl.replace(/\{\{(\w+)\}\}/g, (_, k: string) => p[k] ?? '');

function actorText(it: AuditListItem, lang: 'ar' | 'fr'): string {
  if (it.actorKind === 'cli') return fill(W[lang].cli, { name: it.actorName.replace(/^cli:/, '') });
  if (it.actorKind === 'system') return W[lang].system;
  if (it.actorKind === 'anonymous') return /^anonymous$/i.test(it.actorName) ? W[lang].anonymousBare : fill(W[lang].anonymous, { name: it.actorName });
  return it.actorLabel;
}

/** One line per changed field: the form's label, the values in words; nothing internal. */
function changeLines(changes: AuditListItem['changes'], lang: 'ar' | 'fr'): string[] {
  if (!changes) return [];
  const out: string[] = [];
  let others = 0;
  for (const [k, [from, to]] of Object.entries(changes)) {
    const field = auditFieldLabel(k, lang);
    if (!field) {
      others++;
      continue;
    }
    const a = auditValue(from, lang, k);
    const b = auditValue(to, lang, k);
    out.push(a === null || b === null ? fill(W[lang].changedBare, { field }) : fill(W[lang].changed, { field, from: a, to: b }));
  }
  if (others && !out.length) out.push(W[lang].detail);
  return out;
}

/** The audit trail for office heads: filters, pages, field changes from → to, and the chain check. */
export function AuditPage() {
  const { t } = useTranslation('security');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [verdict, setVerdict] = useState<AuditVerifyResult | null>(null);
  const users: UserInfo[] = useApiQuery('users.list', {}).data ?? [];
  const lang = currentLang();

  const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== ''));
  if (f.to) f.to = `${f.to}T23:59:59.999Z`;
  const list = useApiQuery('audit.list', { ...f, page, pageSize: PAGE_SIZE });
  const data: { items: AuditListItem[]; total: number } | null = list.data;
  const verification = useApiAction();
  const verifying = verification.busy;
  // One message place: the chain check's failure, else the list's.
  const error = verification.error ?? list.error;

  const verify = async () => {
    const v = await verification.run(() => api.call('audit.verify', {}));
    if (v) setVerdict(v);
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

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
            <NativeSelect
              label={W[lang].person}
              value={draft.actor}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setDraft((d) => ({ ...d, actor: v }));
              }}
              data={[{ value: '', label: W[lang].all }, ...users.map((u) => ({ value: u.username, label: u.displayName }))]}
              data-testid="audit-actor"
            />
            <NativeSelect
              label={W[lang].action}
              value={draft.method}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setDraft((d) => ({ ...d, method: v }));
              }}
              data={[{ value: '', label: W[lang].all }, ...Object.keys(AUDIT_ACTIONS).map((m) => ({ value: m, label: actionLabel(m, lang) }))]}
              data-testid="audit-method"
            />
            <TextInput
              label={W[lang].file}
              value={draft.file}
              data-testid="audit-file"
              onChange={(e) => {
                const v = e.currentTarget.value;
                setDraft((d) => ({ ...d, file: v }));
              }}
            />
            {(['from', 'to'] as const).map((k) => (
              <DateField key={k} label={t(`audit.${k}`)} value={draft[k]} onChange={(v) => setDraft((d) => ({ ...d, [k]: v }))} data-testid={`audit-${k}`} />
            ))}
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
          <Text size="sm" data-testid="audit-anchored-backup">
            {verdict.anchored.lastBackup ? t('audit.anchoredBackup', { rows: verdict.anchored.lastBackup.rows, at: fmtAt(verdict.anchored.lastBackup.at) }) : t('audit.anchoredNoBackup')}
          </Text>
          <Text size="sm" data-testid="audit-anchored-file">
            {verdict.anchored.lastFileSent
              ? t('audit.anchoredFile', {
                  n: verdict.anchored.lastFileSent.fileSeq ?? '—',
                  rows: verdict.anchored.lastFileSent.rows,
                  at: fmtAt(verdict.anchored.lastFileSent.at),
                  state: verdict.anchored.lastFileSent.intact ? '' : t('audit.anchoredFileBroken'),
                })
              : t('audit.anchoredNoFile')}
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
                  <Table.Th>{W[lang].what}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((it) => (
                  <Table.Tr key={it.id} data-testid="audit-row">
                    <Table.Td>{fmtAt(it.at)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="audit-sentence">
                        {auditSentence(it.method, actorText(it, lang), it.subject ? it.subject[lang] : null, lang)}
                      </Text>
                      {changeLines(it.changes, lang).map((line, i) => (
                        <Text size="xs" key={i} data-testid="audit-change">
                          {line}
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
