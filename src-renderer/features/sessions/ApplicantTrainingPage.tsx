import { Alert, Anchor, Badge, Loader, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BUSINESS_PLAN_STATUSES, type BusinessPlanStatus } from '../../../src-main/shared/api/sessions.contract';
import { can } from '../../lib/permissions';
import { href } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { fmtHours, fmtPercent, label, personName } from './shared';
import { formatDate, integer, percent } from '../../lib/format';
import { useApiMutation, useApiQuery } from '../../lib/useApi';
import { MentoringForm } from './MentoringForm';
import { sessionsOfApplicantLive } from './sessions.live';

/** A beneficiary's training: hours in total and by topic, attendance rate, eligibility with what is missing, timeline. */
export function ApplicantTrainingPage({ id }: { id: string }) {
  const { t } = useTranslation('sessions');
  const s = useAuthSession();
  const page = useApiQuery('sessions.forApplicant', { applicantId: id }, { live: sessionsOfApplicantLive(id) });
  const businessPlan = useApiMutation('sessions.setBusinessPlan');
  const bpError = businessPlan.error;
  if (page.error) return <Alert color="red">{page.error}</Alert>;
  const d = page.data;
  if (!d) return <Loader size="sm" />;
  const p = d.participation;
  const setBp = async (status: BusinessPlanStatus) => {
    if (await businessPlan.mutate({ applicantId: id, status })) await page.reload();
  };
  return (
    <Stack gap="md">
      <Stack gap={0}>
        <Title order={2} data-testid="applicant-name">
          {personName(d.applicant, s.lang)}
        </Title>
        <Text size="sm" c="dimmed">
          {t('applicant.title')} · <span className="ltr-value">{d.applicant.fileNo}</span>
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            {t('applicant.totalHours')}
          </Text>
          <Text fz="xl" fw={700} data-testid="total-hours">
            {t('session.hours', { hours: fmtHours(p.totalHours) })}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            {t('applicant.rate')}
          </Text>
          <Text fz="xl" fw={700} data-testid="attendance-rate">
            {percent(p.attendanceRate)}
          </Text>
          <Text size="xs" c="dimmed">
            {integer(p.sessionsAttended)}/{integer(p.sessionsExpected)} {t('applicant.expected')}
          </Text>
        </Paper>
        <Paper withBorder p="md" data-testid="eligibility">
          <Badge color={p.eligible ? 'teal' : 'orange'} variant="light" data-testid="eligible-badge">
            {p.eligible ? t('applicant.eligible') : t('applicant.notEligible')}
          </Badge>
          {p.missing.hours !== undefined && (
            <Text size="sm" data-testid="missing-hours">
              {t('applicant.missingHours', { hours: fmtHours(p.missing.hours) })}
            </Text>
          )}
          {p.sessionsOutside > 0 && (
            <Text size="sm" c="red.9" data-testid="outside-summary">
              {t('outside.summary', { count: p.sessionsOutside, hours: fmtHours(p.hoursOutside) })}
            </Text>
          )}
          {p.missing.attendanceRate !== undefined && <Text size="sm">{t('applicant.missingRate', { points: fmtPercent(p.missing.attendanceRate) })}</Text>}
          <Text size="xs" c="dimmed">
            {t('applicant.criteria', { minHours: fmtHours(p.criteria.minHours), rate: fmtPercent(p.criteria.minAttendanceRate) })}
          </Text>
        </Paper>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} mb="xs">
            {t('applicant.byTopic')}
          </Title>
          <Table data-testid="hours-by-topic">
            <Table.Tbody>
              {p.hoursByTopic.map((h) => (
                <Table.Tr key={h.topic}>
                  <Table.Td>{label(h, s.lang)}</Table.Td>
                  <Table.Td>{t('session.hours', { hours: fmtHours(h.hours) })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} mb="xs">
            {t('applicant.businessPlan')}
          </Title>
          <NativeSelect
            aria-label={t('applicant.businessPlan')}
            disabled={!can(s.user.role, 'sessions.setBusinessPlan')}
            data={BUSINESS_PLAN_STATUSES.map((b) => ({ value: b, label: t(`bp.${b}`) }))}
            value={d.businessPlan.status}
            onChange={(e) => void setBp(e.currentTarget.value as BusinessPlanStatus)}
            data-testid="business-plan"
          />
          {bpError && <Text c="red">{bpError}</Text>}
          <Title order={4} mt="md" mb="xs">
            {t('applicant.cohorts')}
          </Title>
          {d.cohorts.map((c) => (
            <Text key={c.cohortId} size="sm">
              <Anchor href={href('sessions', 'cohort', c.cohortId)}>{c.name}</Anchor> · <span className="ltr-value">{c.enrolledAt}</span>
              {c.withdrawnAt && ` · ${t('cohort.withdrawnOn', { date: formatDate(c.withdrawnAt) })}`}
            </Text>
          ))}
        </Paper>
      </SimpleGrid>

      {can(s.user.role, 'sessions.create') && <MentoringForm applicantId={id} onSaved={page.reload} />}

      <Paper withBorder p="md">
        <Title order={3} mb="xs">
          {t('applicant.timeline')}
        </Title>
        {d.timeline.length === 0 ? (
          <Text>{t('applicant.noSessions')}</Text>
        ) : (
          <Table striped data-testid="timeline">
            <Table.Tbody>
              {d.timeline.map((e) => (
                <Table.Tr key={e.sessionId}>
                  <Table.Td className="ltr-value">
                    <Anchor href={href('sessions', 'session', e.sessionId)}>{e.date}</Anchor>
                  </Table.Td>
                  <Table.Td>{t(`kinds.${e.kind}`)}</Table.Td>
                  <Table.Td>{s.lang === 'ar' ? e.topicAr : e.topicFr}</Table.Td>
                  <Table.Td>{t('session.hours', { hours: fmtHours(e.hours) })}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={e.status === 'present' ? 'teal' : e.status === 'absent' ? 'red' : 'gray'}>
                      {t(`statuses.${e.status ?? 'none'}`)}
                    </Badge>
                    {e.outside && (
                      <Badge variant="outline" color="orange" ms="xs" data-testid={`outside-${e.date}`}>
                        {t(`outside.${e.outside}`)}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {e.notes}
                    {e.nextSteps ? ` → ${e.nextSteps}` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
