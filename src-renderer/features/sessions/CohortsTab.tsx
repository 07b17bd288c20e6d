import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ORGANISATION_KINDS, FACILITATOR_ROLES } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { href, navigate } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { label, todayIso } from './shared';
import { useApiQuery } from '../../lib/useApi';
import { range as fmtRange } from '../../lib/format';
import { DateField } from '../../components/DateField';
import { SESSIONS_LIVE } from './sessions.live';

/** The office's cohorts, and a form to create one. */
export function CohortsTab() {
  const { t } = useTranslation('sessions');
  const s = useAuthSession();
  const cohorts = useApiQuery('cohorts.list', {}, { live: SESSIONS_LIVE });
  const lookups = useApiQuery('sessions.lookups', {});
  const [form, setForm] = useState({ organisationId: '', name: '', startDate: todayIso(), endDate: '', place: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const orgs = lookups.data?.organisations ?? [];

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const c = await api.call('cohorts.create', {
        organisationId: form.organisationId || orgs[0]?.id || '',
        name: form.name,
        startDate: form.startDate,
        endDate: form.endDate || null,
        place: form.place,
      });
      navigate('sessions', 'cohort', c.id);
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      {cohorts.error && <Alert color="red">{cohorts.error}</Alert>}
      {!cohorts.data ? (
        <Loader size="sm" />
      ) : cohorts.data.length === 0 ? (
        <Text data-testid="cohorts-empty">{t('cohort.none')}</Text>
      ) : (
        <Table striped highlightOnHover data-testid="cohorts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('field.name')}</Table.Th>
              <Table.Th>{t('field.organisation')}</Table.Th>
              <Table.Th>{t('field.startDate')}</Table.Th>
              <Table.Th>{t('cohort.members')}</Table.Th>
              <Table.Th>{t('cohort.sessions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cohorts.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor href={href('sessions', 'cohort', c.id)}>{c.name}</Anchor>
                </Table.Td>
                <Table.Td>{label({ nameAr: c.organisationNameAr, nameFr: c.organisationNameFr }, s.lang)}</Table.Td>
                <Table.Td>
                  {fmtRange(c.startDate, c.endDate)}
                </Table.Td>
                <Table.Td>
                  {t('cohort.active', { count: c.activeMembers })}
                  {c.withdrawnMembers > 0 && (
                    <Badge ms="xs" variant="light" color="gray">
                      {t('cohort.withdrawn', { count: c.withdrawnMembers })}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{c.sessions}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {can(s.user.role, 'cohorts.create') && (
        <Paper withBorder p="md">
          <form onSubmit={create} data-testid="cohort-form">
            <Stack>
              <Title order={3}>{t('cohort.new')}</Title>
              {orgs.length === 0 && <Text c="dimmed">{t('org.none')}</Text>}
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NativeSelect
                  label={t('field.organisation')}
                  data={orgs.map((o) => ({ value: o.id, label: label(o, s.lang) }))}
                  value={form.organisationId || orgs[0]?.id || ''}
                  onChange={(e) => setForm({ ...form, organisationId: e.currentTarget.value })}
                  error={errors.organisationId}
                  data-testid="cohort-organisation"
                />
                <TextInput label={t('field.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={errors.name} data-testid="cohort-name" />
                <DateField label={t('field.startDate')} value={form.startDate} onChange={(v) => setForm({ ...form, startDate: v })} error={errors.startDate} data-testid="cohort-start" />
                <DateField label={t('field.endDate')} value={form.endDate} onChange={(v) => setForm({ ...form, endDate: v })} error={errors.endDate} data-testid="cohort-end" />
                <TextInput label={t('field.place')} value={form.place} onChange={(e) => setForm({ ...form, place: e.currentTarget.value })} data-testid="cohort-place" />
              </SimpleGrid>
              {message && <Alert color="red">{message}</Alert>}
              <Group>
                <Button type="submit" loading={busy} disabled={orgs.length === 0} data-testid="cohort-create">
                  {t('cohort.new')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}

/** Organisations of the province with their trainers and mentors; forms to add both. */
export function OrganisationsTab() {
  const { t } = useTranslation('sessions');
  const tc = useTranslation('common').t;
  const s = useAuthSession();
  const lookups = useApiQuery('sessions.lookups', {});
  const [org, setOrg] = useState({ kind: 'incubator', nameAr: '', nameFr: '' });
  const [fac, setFac] = useState({ organisationId: '', fullName: '', role: 'trainer' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const editable = can(s.user.role, 'organisations.create');
  const orgs = lookups.data?.organisations ?? [];

  const run = async (fn: () => Promise<unknown>) => {
    setMessage(null);
    setErrors({});
    try {
      await fn();
      setMessage({ ok: true, text: tc('saved') });
      await lookups.reload();
    } catch (e) {
      setErrors(fieldErrors(e));
      setMessage({ ok: false, text: errorText(e) });
    }
  };

  return (
    <Stack>
      {lookups.error && <Alert color="red">{lookups.error}</Alert>}
      {orgs.length === 0 ? (
        <Text>{t('org.none')}</Text>
      ) : (
        <Table data-testid="orgs-table">
          <Table.Tbody>
            {orgs.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <Text fw={600}>{label(o, s.lang)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`orgKinds.${o.kind}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {o.facilitators.map((f) => (
                    <Badge key={f.id} variant="light" me="xs">
                      {f.fullName} · {t(`facRoles.${f.role}`)}
                    </Badge>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} data-testid="org-message">
          {message.text}
        </Alert>
      )}
      {editable && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="md">
            <form onSubmit={(e) => (e.preventDefault(), void run(() => api.call('organisations.create', { kind: org.kind as (typeof ORGANISATION_KINDS)[number], nameAr: org.nameAr, nameFr: org.nameFr })))} data-testid="org-form">
              <Stack>
                <Title order={3}>{t('org.new')}</Title>
                <NativeSelect label={t('field.kind')} data={ORGANISATION_KINDS.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))} value={org.kind} onChange={(e) => setOrg({ ...org, kind: e.currentTarget.value })} data-testid="org-kind" />
                <TextInput dir="rtl" label={t('field.nameAr')} value={org.nameAr} onChange={(e) => setOrg({ ...org, nameAr: e.currentTarget.value })} error={errors.nameAr} data-testid="org-nameAr" />
                <TextInput dir="ltr" label={t('field.nameFr')} value={org.nameFr} onChange={(e) => setOrg({ ...org, nameFr: e.currentTarget.value })} error={errors.nameFr} data-testid="org-nameFr" />
                <Group>
                  <Button type="submit" data-testid="org-create">
                    {tc('create')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
          {orgs.length > 0 && (
            <Paper withBorder p="md">
              <form
                onSubmit={(e) => (
                  e.preventDefault(),
                  void run(() => api.call('facilitators.create', { organisationId: fac.organisationId || orgs[0].id, fullName: fac.fullName, role: fac.role as (typeof FACILITATOR_ROLES)[number] }))
                )}
                data-testid="fac-form"
              >
                <Stack>
                  <Title order={3}>{t('org.newFacilitator')}</Title>
                  <NativeSelect label={t('field.organisation')} data={orgs.map((o) => ({ value: o.id, label: label(o, s.lang) }))} value={fac.organisationId || orgs[0].id} onChange={(e) => setFac({ ...fac, organisationId: e.currentTarget.value })} data-testid="fac-organisation" />
                  <TextInput label={t('field.fullName')} value={fac.fullName} onChange={(e) => setFac({ ...fac, fullName: e.currentTarget.value })} error={errors.fullName} data-testid="fac-name" />
                  <NativeSelect label={t('field.role')} data={FACILITATOR_ROLES.map((r) => ({ value: r, label: t(`facRoles.${r}`) }))} value={fac.role} onChange={(e) => setFac({ ...fac, role: e.currentTarget.value })} data-testid="fac-role" />
                  <Group>
                    <Button type="submit" data-testid="fac-create">
                      {tc('create')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Paper>
          )}
        </SimpleGrid>
      )}
    </Stack>
  );
}
