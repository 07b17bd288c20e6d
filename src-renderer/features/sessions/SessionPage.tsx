import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { href } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { fmtHours, label, personName } from './shared';
import { useApiQuery } from '../../lib/useApi';
import { SheetsBox } from './SheetsBox';
import { DateField } from '../../components/DateField';
import { TimeField } from '../../components/TimeField';
import { SESSIONS_WITH_PEOPLE_LIVE } from './sessions.live';

/** One session: its details (editable), and the attendance checklist saved in one call. */
export function SessionPage({ id }: { id: string }) {
  const { t } = useTranslation('sessions');
  const s = useAuthSession();
  // Live (issue 17): a colleague's attendance or edit shows within 2 s — while nobody is ticking the checklist here.
  const [dirty, setDirty] = useState(false);
  const session = useApiQuery('sessions.get', { id }, { live: dirty ? false : SESSIONS_WITH_PEOPLE_LIVE });
  const d = session.data;
  const recordable = can(s.user.role, 'sessions.recordAttendance') && !d?.cancelledAt;
  const [marks, setMarks] = useState<Record<string, AttendanceStatus | null>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (d) setMarks(Object.fromEntries(d.checklist.map((c) => [c.applicantId, c.status])));
    setDirty(false);
  }, [d]);

  if (session.error) return <Alert color="red">{session.error}</Alert>;
  if (!d) return <Loader size="sm" />;

  const save = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const entries = Object.entries(marks)
        .filter(([, st]) => st !== null)
        .map(([applicantId, status]) => ({ applicantId, status: status as AttendanceStatus }));
      const r = await api.call('sessions.recordAttendance', { sessionId: d.id, entries });
      setMessage({ ok: true, text: t('session.saved', r) });
      await session.reload();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const counts = { present: 0, absent: 0, excused: 0 };
  for (const v of Object.values(marks)) if (v) counts[v]++;

  return (
    <Stack gap="md">
      <Stack gap={0}>
        {d.cohortId && (
          <Anchor href={href('sessions', 'cohort', d.cohortId)} size="sm">
            {d.cohortName}
          </Anchor>
        )}
        <Group>
          <Title order={2} data-testid="session-title">
            {t(`kinds.${d.kind}`)} · {s.lang === 'ar' ? d.topicAr : d.topicFr}
          </Title>
          {d.cancelledAt && <Badge color="red">{t('session.cancelled')}</Badge>}
        </Group>
        <Text size="sm" c="dimmed">
          <span className="ltr-value">
            {d.date} {d.startTime ?? ''}
            {d.endTime ? `–${d.endTime}` : ''}
          </span>{' '}
          · <span data-testid="session-hours">{t('session.hours', { hours: fmtHours(d.hours) })}</span> · {label({ nameAr: d.organisationNameAr, nameFr: d.organisationNameFr }, s.lang)}
          {d.facilitatorName ? ` · ${d.facilitatorName}` : ''} {d.place ? ` · ${d.place}` : ''}
        </Text>
      </Stack>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={3}>{t('session.checklist')}</Title>
          <Text size="sm" data-testid="checklist-counts">
            {t('session.counts', { ...counts, expected: d.checklist.length })}
          </Text>
        </Group>
        <Table striped data-testid="checklist">
          <Table.Tbody>
            {d.checklist.map((c) => (
              <Table.Tr key={c.applicantId} data-testid={`check-${c.fileNo}`}>
                <Table.Td className="ltr-value">{c.fileNo}</Table.Td>
                <Table.Td>
                  <Anchor href={href('sessions', 'applicant', c.applicantId)}>{personName(c, s.lang)}</Anchor>
                </Table.Td>
                <Table.Td>
                  <SegmentedControl
                    size="xs"
                    disabled={!recordable}
                    value={marks[c.applicantId] ?? ''}
                    onChange={(v) => {
                      setMarks({ ...marks, [c.applicantId]: v as AttendanceStatus });
                      setDirty(true);
                    }}
                    data={ATTENDANCE_STATUSES.map((st) => ({ value: st, label: t(`statuses.${st}`) }))}
                    data-testid={`mark-${c.fileNo}`}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {message && (
          <Alert mt="sm" color={message.ok ? 'teal' : 'red'} data-testid="checklist-message">
            {message.text}
          </Alert>
        )}
        {recordable && (
          <Group mt="sm">
            <Button variant="default" onClick={() => {
                setMarks(Object.fromEntries(d.checklist.map((c) => [c.applicantId, 'present' as const])));
                setDirty(true);
              }} data-testid="all-present">
              {t('session.allPresent')}
            </Button>
            <Button loading={busy} onClick={() => void save()} data-testid="save-attendance">
              {t('session.saveAttendance')}
            </Button>
          </Group>
        )}
      </Paper>
      {can(s.user.role, 'sessions.update') && !d.cancelledAt && <EditSession d={d} onSaved={session.reload} />}
      <SheetsBox sessionId={d.id} />
    </Stack>
  );
}

function EditSession({ d, onSaved }: { d: import('../../../src-main/shared/api/sessions.contract').SessionDetail; onSaved: () => void }) {
  const { t } = useTranslation('sessions');
  const tc = useTranslation('common').t;
  const { lang } = useAuthSession();
  const lookups = useApiQuery('sessions.lookups', {});
  const [f, setF] = useState({ date: d.date, startTime: d.startTime ?? '', endTime: d.endTime ?? '', topic: d.topic, place: d.place, notes: d.notes, nextSteps: d.nextSteps });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      const times = f.startTime && f.endTime ? { startTime: f.startTime, endTime: f.endTime, durationMinutes: null } : {};
      await api.call('sessions.update', { id: d.id, date: f.date, topic: f.topic, place: f.place, notes: f.notes, nextSteps: f.nextSteps, ...times });
      setMessage({ ok: true, text: tc('saved') });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={save} data-testid="session-edit">
        <Stack>
          <Title order={3}>{t('session.edit')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DateField label={t('field.date')} value={f.date} onChange={(v) => setF({ ...f, date: v })} data-testid="edit-date" />
            <TimeField label={t('field.startTime')} value={f.startTime} onChange={(v) => setF({ ...f, startTime: v })} data-testid="edit-start" />
            <TimeField label={t('field.endTime')} value={f.endTime} onChange={(v) => setF({ ...f, endTime: v })} data-testid="edit-end" />
            <NativeSelect label={t('field.topic')} data={(lookups.data?.topics ?? []).map((x) => ({ value: x.code, label: label(x, lang) }))} value={f.topic} onChange={(e) => setF({ ...f, topic: e.currentTarget.value })} />
            <TextInput label={t('field.place')} value={f.place} onChange={(e) => setF({ ...f, place: e.currentTarget.value })} />
          </SimpleGrid>
          {d.kind === 'mentoring' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('field.notes')} value={f.notes} onChange={(e) => setF({ ...f, notes: e.currentTarget.value })} />
              <TextInput label={t('field.nextSteps')} value={f.nextSteps} onChange={(e) => setF({ ...f, nextSteps: e.currentTarget.value })} />
            </SimpleGrid>
          )}
          {message && <Alert color={message.ok ? 'teal' : 'red'}>{message.text}</Alert>}
          <Group>
            <Button type="submit" data-testid="edit-save">
              {tc('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
