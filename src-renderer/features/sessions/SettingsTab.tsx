import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Topic } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { useApiQuery } from '../../lib/useApi';

/** Office head: the participation attestation's criteria and the training topics (add, rename, deactivate). */
export function SettingsTab() {
  return (
    <Stack gap="md">
      <CriteriaPanel />
      <TopicsPanel />
    </Stack>
  );
}

function CriteriaPanel() {
  const { t } = useTranslation('sessions');
  const current = useApiQuery('sessions.criteria', {});
  const [hours, setHours] = useState('');
  const [rate, setRate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (current.data) {
      setHours(String(current.data.minHours));
      setRate(String(Math.round(current.data.minAttendanceRate * 1000) / 10));
    }
  }, [current.data]);
  if (current.error) return <Alert color="red">{current.error}</Alert>;
  if (!current.data) return <Loader size="sm" />;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await api.call('sessions.setCriteria', { minHours: Number(hours), minAttendanceRate: Number(rate) / 100 });
      setSaved(true);
      await current.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={save} data-testid="criteria-form">
        <Stack>
          <Title order={3}>{t('criteria.title')}</Title>
          <Group align="flex-end">
            <TextInput type="number" min={0} max={2000} step="any" label={t('criteria.minHours')} value={hours} onChange={(e) => setHours(e.currentTarget.value)} data-testid="criteria-hours" />
            <TextInput type="number" min={0} max={100} step="any" label={t('criteria.minRate')} value={rate} onChange={(e) => setRate(e.currentTarget.value)} data-testid="criteria-rate" />
            <Button type="submit" data-testid="criteria-save">
              {t('criteria.save')}
            </Button>
          </Group>
          {error && <Alert color="red">{error}</Alert>}
          {saved && (
            <Text c="teal" data-testid="criteria-saved">
              {t('criteria.saved')}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

/** A topic's internal key from its label: lower-case Latin letters, digits and _, unique among the topics. */
export function topicCode(label: string, taken: string[]): string {
  const base =
    label
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 32) || 'theme';
  const stem = /^[a-z]/.test(base) && base.length >= 2 ? base : `t_${base}`;
  let code = stem;
  for (let i = 2; taken.includes(code); i++) code = `${stem}_${i}`;
  return code;
}

function TopicsPanel() {
  const { t } = useTranslation('sessions');
  const list = useApiQuery('sessions.lookups', { includeInactive: true });
  const [draft, setDraft] = useState({ code: '', labelAr: '', labelFr: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const save = async (topic: Pick<Topic, 'code' | 'labelAr' | 'labelFr' | 'active'>, isNew: boolean) => {
    setError(null);
    setErrors({});
    try {
      await api.call('topics.save', topic);
      if (isNew) setDraft({ code: '', labelAr: '', labelFr: '' });
      await list.reload();
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(errorText(err));
    }
  };
  if (list.error) return <Alert color="red">{list.error}</Alert>;
  if (!list.data) return <Loader size="sm" />;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('topics.title')}</Title>
        <Table striped data-testid="topics-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('topics.labelAr')}</Table.Th>
              <Table.Th>{t('topics.labelFr')}</Table.Th>
              <Table.Th>{t('topics.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.topics.map((x) => (
              <TopicRow key={`${x.code}-${x.labelAr}-${x.labelFr}-${x.active}`} topic={x} onSave={(v) => save(v, false)} />
            ))}
          </Table.Tbody>
        </Table>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            // The code is the programme's internal key: made from the French label, never typed nor shown (issue 15).
            void save({ ...draft, code: topicCode(draft.labelFr || draft.labelAr, list.data?.topics.map((x) => x.code) ?? []), active: true }, true);
          }}
          data-testid="topic-new"
        >
          <Group align="flex-end">
            <TextInput label={t('topics.labelAr')} value={draft.labelAr} onChange={(e) => setDraft({ ...draft, labelAr: e.currentTarget.value })} error={errors.labelAr} data-testid="topic-labelAr" />
            <TextInput label={t('topics.labelFr')} value={draft.labelFr} onChange={(e) => setDraft({ ...draft, labelFr: e.currentTarget.value })} error={errors.labelFr} data-testid="topic-labelFr" />
            <Button type="submit" data-testid="topic-add">
              {t('topics.add')}
            </Button>
          </Group>
        </form>
        {error && (
          <Alert color="red" data-testid="topic-error">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function TopicRow({ topic, onSave }: { topic: Topic; onSave: (t: Pick<Topic, 'code' | 'labelAr' | 'labelFr' | 'active'>) => Promise<void> }) {
  const { t } = useTranslation('sessions');
  const [v, setV] = useState({ labelAr: topic.labelAr, labelFr: topic.labelFr, active: topic.active });
  const dirty = v.labelAr !== topic.labelAr || v.labelFr !== topic.labelFr || v.active !== topic.active;
  return (
    <Table.Tr data-testid={`topic-${topic.code}`}>
      <Table.Td>
        <TextInput size="xs" value={v.labelAr} onChange={(e) => setV({ ...v, labelAr: e.currentTarget.value })} aria-label={t('topics.labelAr')} />
      </Table.Td>
      <Table.Td>
        <TextInput size="xs" value={v.labelFr} onChange={(e) => setV({ ...v, labelFr: e.currentTarget.value })} aria-label={t('topics.labelFr')} />
      </Table.Td>
      <Table.Td>
        <Checkbox checked={v.active} onChange={(e) => setV({ ...v, active: e.currentTarget.checked })} aria-label={t('topics.active')} />
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="default" disabled={!dirty} onClick={() => void onSave({ code: topic.code, ...v })}>
          {t('topics.save')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
