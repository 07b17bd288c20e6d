import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { useAuthSession } from '../../lib/auth-session';
import { label, todayIso } from './shared';
import { useApiQuery } from '../../lib/useApi';
import { DateField } from '../../components/DateField';
import { TimeField } from '../../components/TimeField';

const EMPTY = { date: '', startTime: '', endTime: '', duration: '', topic: '', place: '', organisationId: '', facilitatorId: '', status: 'present' as AttendanceStatus, notes: '', nextSteps: '' };

/** Records an individual mentoring session for one beneficiary (times or a duration, notes, next steps, attendance). */
export function MentoringForm({ applicantId, onSaved }: { applicantId: string; onSaved: () => Promise<void> | void }) {
  const { t } = useTranslation('sessions');
  const { lang } = useAuthSession();
  const lookups = useApiQuery('sessions.lookups', {});
  const topics = lookups.data?.topics.filter((x) => x.active) ?? [];
  const orgs = lookups.data?.organisations.filter((o) => o.active) ?? [];
  const [form, setForm] = useState({ ...EMPTY, date: todayIso() });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const orgId = form.organisationId || orgs[0]?.id || '';
  const facilitators = orgs.find((o) => o.id === orgId)?.facilitators.filter((f) => f.active && f.role !== 'trainer') ?? [];
  const set = (k: keyof typeof EMPTY) => (e: { currentTarget: { value: string } }) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v, ...(k === 'organisationId' ? { facilitatorId: '' } : {}) }));
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(null);
    setSaved(false);
    try {
      await api.call('sessions.create', {
        kind: 'mentoring',
        applicantId,
        date: form.date,
        startTime: form.startTime || null,
        endTime: form.endTime || null,
        durationMinutes: form.duration ? Number(form.duration) : null,
        topic: form.topic || topics[0]?.code || '',
        place: form.place,
        organisationId: orgId,
        facilitatorId: form.facilitatorId || null,
        notes: form.notes,
        nextSteps: form.nextSteps,
        attendance: [{ applicantId, status: form.status, note: '' }],
      });
      setForm({ ...EMPTY, date: form.date, organisationId: form.organisationId, facilitatorId: form.facilitatorId });
      setSaved(true);
      await onSaved();
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(errorText(err));
    }
  };
  if (lookups.error) return <Alert color="red">{lookups.error}</Alert>;
  return (
    <Paper withBorder p="md">
      <form onSubmit={save} data-testid="mentoring-form">
        <Stack>
          <Title order={3}>{t('mentoring.title')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <DateField label={t('field.date')} value={form.date} onChange={(v) => setForm((x) => ({ ...x, date: v }))} error={errors.date} data-testid="mentoring-date" />
            <TimeField label={t('field.startTime')} value={form.startTime} onChange={(v) => setForm((x) => ({ ...x, startTime: v }))} error={errors.startTime} data-testid="mentoring-start" />
            <TimeField label={t('field.endTime')} value={form.endTime} onChange={(v) => setForm((x) => ({ ...x, endTime: v }))} error={errors.endTime} data-testid="mentoring-end" />
            <TextInput type="number" min={5} max={720} label={t('field.duration')} value={form.duration} onChange={set('duration')} error={errors.durationMinutes} data-testid="mentoring-duration" />
            <NativeSelect label={t('field.topic')} data={topics.map((x) => ({ value: x.code, label: label(x, lang) }))} value={form.topic || topics[0]?.code || ''} onChange={set('topic')} error={errors.topic} data-testid="mentoring-topic" />
            <NativeSelect label={t('field.organisation')} data={orgs.map((o) => ({ value: o.id, label: label(o, lang) }))} value={orgId} onChange={set('organisationId')} error={errors.organisationId} data-testid="mentoring-org" />
            <NativeSelect label={t('field.facilitator')} data={[{ value: '', label: '—' }, ...facilitators.map((f) => ({ value: f.id, label: f.fullName }))]} value={form.facilitatorId} onChange={set('facilitatorId')} error={errors.facilitatorId} data-testid="mentoring-facilitator" />
            <NativeSelect label={t('mentoring.status')} data={ATTENDANCE_STATUSES.map((x) => ({ value: x, label: t(`statuses.${x}`) }))} value={form.status} onChange={set('status')} data-testid="mentoring-status" />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('mentoring.timeHint')}
          </Text>
          <TextInput label={t('field.place')} value={form.place} onChange={set('place')} error={errors.place} data-testid="mentoring-place" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Textarea label={t('field.notes')} autosize minRows={2} value={form.notes} onChange={set('notes')} error={errors.notes} data-testid="mentoring-notes" />
            <Textarea label={t('field.nextSteps')} autosize minRows={2} value={form.nextSteps} onChange={set('nextSteps')} error={errors.nextSteps} data-testid="mentoring-next" />
          </SimpleGrid>
          {error && (
            <Alert color="red" data-testid="mentoring-error">
              {error}
            </Alert>
          )}
          {saved && (
            <Text c="teal" data-testid="mentoring-saved">
              {t('mentoring.saved')}
            </Text>
          )}
          <Group>
            <Button type="submit" disabled={orgs.length === 0} data-testid="mentoring-save">
              {t('mentoring.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
