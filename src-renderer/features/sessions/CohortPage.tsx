import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SESSION_KINDS, type EnrolCandidate, type SessionKind } from '../../../src-main/shared/api/sessions.contract';
import { api, asApiError } from '../../api/client';
import { codeText, errorText, fieldErrors } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { href, navigate } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { addDays, fmtHours, label, personName, todayIso } from './shared';
import { useApiQuery } from '../../lib/useApi';
import { formatDate, range as fmtRange } from '../../lib/format';
import { DateField } from '../../components/DateField';
import { TimeField } from '../../components/TimeField';
import { SESSIONS_LIVE, SESSIONS_WITH_PEOPLE_LIVE } from './sessions.live';

/** A cohort: members with their hours, enrolment (with confirmation), withdrawal, its sessions and a form to add one. */
export function CohortPage({ id }: { id: string }) {
  const { t } = useTranslation('sessions');
  const s = useAuthSession();
  const cohort = useApiQuery('cohorts.get', { id }, { live: SESSIONS_WITH_PEOPLE_LIVE });
  const c = cohort.data;
  const editable = can(s.user.role, 'cohorts.enrol');
  if (cohort.error) return <Alert color="red">{cohort.error}</Alert>;
  if (!c) return <Loader size="sm" />;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Stack gap={0}>
          <Anchor href={href('sessions', 'cohorts')} size="sm">
            {t('tabs.cohorts')}
          </Anchor>
          <Title order={2} data-testid="cohort-title">
            {c.name}
          </Title>
          <Text size="sm" c="dimmed">
            {label({ nameAr: c.organisationNameAr, nameFr: c.organisationNameFr }, s.lang)} · <span data-testid="cohort-dates">{fmtRange(c.startDate, c.endDate)}</span> · {c.place}
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge variant="light">{t('cohort.active', { count: c.activeMembers })}</Badge>
          {c.withdrawnMembers > 0 && <Badge variant="light" color="gray">{t('cohort.withdrawn', { count: c.withdrawnMembers })}</Badge>}
        </Group>
      </Group>

      <Paper withBorder p="md">
        <Title order={3} mb="sm">
          {t('cohort.members')}
        </Title>
        {c.members.length === 0 ? (
          <Text data-testid="members-empty">{t('cohort.noMembers')}</Text>
        ) : (
          <Table striped data-testid="members-table">
            <Table.Tbody>
              {c.members.map((m) => (
                <MemberRow key={m.applicantId} cohortId={c.id} m={m} editable={editable} onChanged={cohort.reload} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      {c.outsideSessions.length > 0 && (
        <Alert color="orange" title={t('outside.title')} data-testid="outside-sessions">
          <Stack gap={2}>
            {c.outsideSessions.map((x) => (
              <Text size="sm" key={x.id}>
                <Anchor href={href('sessions', 'session', x.id)} className="ltr-value">
                  {x.date}
                </Anchor>{' '}
                · {s.lang === 'ar' ? x.topicAr : x.topicFr} · {t(`outside.${x.reason}`)}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {editable && <EnrolBox cohortId={c.id} onDone={cohort.reload} />}
      <CohortSessions cohortId={c.id} organisationId={c.organisationId} startDate={c.startDate} endDate={c.endDate} editable={can(s.user.role, 'sessions.create')} />
    </Stack>
  );
}

function MemberRow({ cohortId, m, editable, onChanged }: { cohortId: string; m: import('../../../src-main/shared/api/sessions.contract').CohortMember; editable: boolean; onChanged: () => void }) {
  const { t } = useTranslation('sessions');
  const tc = useTranslation('common').t;
  const { lang } = useAuthSession();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(todayIso());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const withdraw = async () => {
    try {
      await api.call('cohorts.withdraw', { cohortId, applicantId: m.applicantId, date, reason });
      setOpen(false);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Table.Tr data-testid={`member-${m.fileNo}`}>
      <Table.Td className="ltr-value">{m.fileNo}</Table.Td>
      <Table.Td>
        <Anchor href={href('sessions', 'applicant', m.applicantId)} data-testid={`member-link-${m.fileNo}`}>
          {personName(m, lang)}
        </Anchor>
      </Table.Td>
      <Table.Td data-testid={`member-hours-${m.fileNo}`}>
        {t('session.hours', { hours: fmtHours(m.hours) })}
        {m.hoursOutside > 0 && (
          <Text size="xs" c="red.9">
            {t('outside.memberHours', { hours: fmtHours(m.hoursOutside) })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {m.present}/{m.present + m.absent} {m.excused > 0 && `(+${m.excused} ${t('statuses.excused')})`}
      </Table.Td>
      <Table.Td>
        {m.withdrawnAt ? (
          <Badge color="gray" variant="light">
            {t('cohort.withdrawnOn', { date: formatDate(m.withdrawnAt) })}
          </Badge>
        ) : editable && !open ? (
          <Button size="xs" variant="subtle" color="red" onClick={() => setOpen(true)}>
            {t('cohort.withdraw')}
          </Button>
        ) : null}
        {open && (
          <Group gap="xs" wrap="nowrap">
            <DateField size="xs" value={date} onChange={setDate} aria-label={t('field.date')} />
            <TextInput size="xs" placeholder={t('field.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} aria-label={t('field.reason')} />
            <Button size="xs" color="red" onClick={() => void withdraw()}>
              {t('cohort.withdraw')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setOpen(false)}>
              {tc('cancel')}
            </Button>
          </Group>
        )}
        {error && (
          <Text c="red" size="xs">
            {error}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * Search the whole registry, tick women, enrol; a preselected woman's move to "in training" is confirmed first.
 * Every matching file is shown: one who cannot be enrolled has her box disabled and the reason in words (the rules
 * `cohorts.enrol` enforces, from `cohorts.enrolSearch`).
 */
function EnrolBox({ cohortId, onDone }: { cohortId: string; onDone: () => void }) {
  const { t } = useTranslation('sessions');
  const ta = useTranslation('applicants').t;
  const { lang } = useAuthSession();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<{ total: number; items: EnrolCandidate[] } | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [date, setDate] = useState(todayIso());
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setResults(await api.call('cohorts.enrolSearch', { cohortId, q, limit: 50 }));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const enrol = async (moveToTraining: boolean) => {
    setError(null);
    try {
      await api.call('cohorts.enrol', { cohortId, applicantIds: [...picked], date, moveToTraining });
      setConfirm(null);
      setPicked(new Set());
      setResults(null);
      onDone();
    } catch (err) {
      const a = asApiError(err);
      if (a.code === 'session.cohort_confirm_training') setConfirm(codeText(a.code, a.params));
      else setError(errorText(err));
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('cohort.enrol')}</Title>
        <form onSubmit={search}>
          <Group align="flex-end">
            <TextInput label={t('field.search')} description={t('cohort.searchAll')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="enrol-search" style={{ flex: 1 }} />
            <DateField label={t('field.date')} value={date} onChange={setDate} data-testid="enrol-date" />
            <Button type="submit" variant="default" data-testid="enrol-search-go">
              {t('field.search').split(' ')[0]}
            </Button>
          </Group>
        </form>
        {results && (
          <Stack gap={6} data-testid="enrol-results">
            <Text size="sm" c="dimmed" data-testid="enrol-found">
              {results.items.length ? t('cohort.found', { shown: results.items.length, total: results.total }) : t('cohort.noneFound')}
            </Text>
            {results.items.map((a) => (
              <Checkbox
                key={a.id}
                label={
                  <>
                    <bdi>{a.fileNo}</bdi> · {personName(a, lang)}{' '}
                    <Badge size="sm" variant="light" color={a.block ? 'gray' : 'blue'} data-testid={`enrol-status-${a.fileNo}`}>
                      {ta(`status.${a.status}`)}
                    </Badge>
                  </>
                }
                description={
                  a.block ? (
                    <span data-testid={`enrol-why-${a.fileNo}`}>{t(`cohort.block.${a.block}`, { date: formatDate(a.enrolledAt) })}</span>
                  ) : a.startsTraining ? (
                    t('cohort.startsTraining')
                  ) : undefined
                }
                disabled={a.block !== null}
                checked={a.block === null && picked.has(a.id)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.currentTarget.checked) next.add(a.id);
                  else next.delete(a.id);
                  setPicked(next);
                }}
                data-testid={`enrol-pick-${a.fileNo}`}
              />
            ))}
          </Stack>
        )}
        {confirm && (
          <Alert color="yellow" title={t('cohort.confirmTitle')} data-testid="enrol-confirm-box">
            <Text size="sm" mb="xs">
              {confirm}
            </Text>
            <Button size="xs" onClick={() => void enrol(true)} data-testid="enrol-confirm">
              {t('cohort.confirm')}
            </Button>
          </Alert>
        )}
        {error && <Alert color="red">{error}</Alert>}
        <Group>
          <Button disabled={picked.size === 0} onClick={() => void enrol(false)} data-testid="enrol-submit">
            {t('cohort.enrolSelected')} ({picked.size})
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function CohortSessions(props: { cohortId: string; organisationId: string; startDate: string; endDate: string | null; editable: boolean }) {
  const { t } = useTranslation('sessions');
  const { lang } = useAuthSession();
  const to = props.endDate && props.endDate > props.startDate ? props.endDate : addDays(props.startDate, 365);
  const list = useApiQuery('sessions.range', { from: props.startDate, to: to > addDays(props.startDate, 399) ? addDays(props.startDate, 399) : to, cohortId: props.cohortId }, { live: SESSIONS_LIVE });
  const lookups = useApiQuery('sessions.lookups', {});
  const topics = lookups.data?.topics ?? [];
  const facilitators = lookups.data?.organisations.find((o) => o.id === props.organisationId)?.facilitators ?? [];
  const [form, setForm] = useState({ kind: 'group_training' as SessionKind, date: todayIso() < props.startDate ? props.startDate : todayIso(), startTime: '09:00', endTime: '12:00', topic: '', place: '', facilitatorId: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(null);
    try {
      const s = await api.call('sessions.create', {
        kind: form.kind,
        date: form.date,
        startTime: form.startTime || null,
        endTime: form.endTime || null,
        topic: form.topic || topics[0]?.code || '',
        place: form.place,
        organisationId: props.organisationId,
        facilitatorId: form.facilitatorId || null,
        cohortId: props.cohortId,
      });
      navigate('sessions', 'session', s.id);
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(errorText(err));
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('cohort.sessions')}</Title>
        {list.error && <Alert color="red">{list.error}</Alert>}
        {list.data && list.data.sessions.length > 0 && (
          <Table striped data-testid="cohort-sessions">
            <Table.Tbody>
              {list.data.sessions.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td className="ltr-value">
                    <Anchor href={href('sessions', 'session', x.id)}>{x.date}</Anchor>
                  </Table.Td>
                  <Table.Td>{t(`kinds.${x.kind}`)}</Table.Td>
                  <Table.Td>{lang === 'ar' ? x.topicAr : x.topicFr}</Table.Td>
                  <Table.Td>{t('session.hours', { hours: fmtHours(x.hours) })}</Table.Td>
                  <Table.Td>{t('session.counts', { present: x.present, absent: x.absent, excused: x.excused, expected: x.expected })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {props.editable && (
          <form onSubmit={add} data-testid="session-form">
            <Stack>
              <Title order={4}>{t('cohort.addSession')}</Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <NativeSelect label={t('field.kind')} data={SESSION_KINDS.filter((k) => k !== 'mentoring').map((k) => ({ value: k, label: t(`kinds.${k}`) }))} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as SessionKind })} data-testid="session-kind" />
                <DateField label={t('field.date')} value={form.date} onChange={(v) => setForm({ ...form, date: v })} error={errors.date} data-testid="session-date" />
                <NativeSelect label={t('field.topic')} data={topics.map((x) => ({ value: x.code, label: label(x, lang) }))} value={form.topic || topics[0]?.code || ''} onChange={(e) => setForm({ ...form, topic: e.currentTarget.value })} data-testid="session-topic" />
                <TimeField label={t('field.startTime')} value={form.startTime} onChange={(v) => setForm({ ...form, startTime: v })} error={errors.startTime} data-testid="session-start" />
                <TimeField label={t('field.endTime')} value={form.endTime} onChange={(v) => setForm({ ...form, endTime: v })} error={errors.endTime} data-testid="session-end" />
                <NativeSelect label={t('field.facilitator')} data={[{ value: '', label: '—' }, ...facilitators.map((f) => ({ value: f.id, label: f.fullName }))]} value={form.facilitatorId} onChange={(e) => setForm({ ...form, facilitatorId: e.currentTarget.value })} data-testid="session-facilitator" />
                <TextInput label={t('field.place')} value={form.place} onChange={(e) => setForm({ ...form, place: e.currentTarget.value })} data-testid="session-place" />
              </SimpleGrid>
              {error && <Alert color="red" data-testid="session-error">{error}</Alert>}
              <Group>
                <Button type="submit" data-testid="session-create">
                  {t('cohort.addSession')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
