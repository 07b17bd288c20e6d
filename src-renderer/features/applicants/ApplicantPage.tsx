import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Modal, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  FINANCING_SOURCES,
  STATUSES_NEEDING_REASON,
  STATUSES_NEEDING_SOURCE,
  type ApplicantFile,
  type ApplicantStatus,
  type AppWarning,
  type FinancingSource,
  type RefKind,
} from '../../../src-main/shared/api/applicants.contract';
import type { Lang } from '../../i18n';
import { api, asApiError } from '../../api/client';
import { codeText, errorText, fieldErrors } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { href } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { displayName, label, showDate, showDateTime, today, useLookups, type Lookups } from '../../lib/lookups';
import { statusColor } from './ApplicantList';
import { takeFlash } from './flash';
import { useApplicantFile } from './applicants.data';
import { ApplicantForm } from './ApplicantForm';
import { DateField } from '../../components/DateField';

/** A status change's reason; the one the app writes itself on enrolment (`cohort: <name>`) said in words. */
function reasonText(reason: string, t: TFunction): string {
  const m = /^cohort: (.*)$/s.exec(reason);
  return m ? t('page.reasonCohort', { name: m[1] }) : reason;
}

/**
 * Who did it, as people know them (issue 15): the person's full name; the command line in words; else the name
 * recorded (a user of another office, an account since removed), without the office network's workstation.
 */
function whoName(personName: string | null, recorded: string, t: TFunction): string {
  if (personName) return personName;
  const name = recorded.replace(/ @ .*$/, '');
  return name.startsWith('cli:') ? t('page.byCli', { name: name.slice(4) }) : name;
}
const whoDid = (personName: string | null, recorded: string, t: TFunction) => <bdi>{whoName(personName, recorded, t)}</bdi>;

/** The applicant's file: all her data, the status history, the edit history, and the status change dialog. */
export function ApplicantPage({ id, edit }: { id: string; edit?: boolean }) {
  const { t } = useTranslation('applicants');
  const [flash] = useState(() => takeFlash(id));
  // A colleague's save shows on the open file within seconds; never under the edit form (its save checks the version).
  const { data: file, error, reload } = useApplicantFile(id, !edit);
  const load = () => void reload();

  if (error) return <Alert color="red">{error}</Alert>;
  if (!file) return <Loader />;
  if (edit) {
    return (
      <Stack>
        <Anchor href={href('applicants', id)}>{t('backToList')}</Anchor>
        <Title order={2}>
          {t('page.edit')} · <bdi dir="ltr">{file.fileNo}</bdi>
        </Title>
        <ApplicantForm existing={file} />
      </Stack>
    );
  }
  return <FileView file={file} flash={flash} onChanged={load} />;
}

function FileView({ file, flash, onChanged }: { file: ApplicantFile; flash: { text: string; warnings: AppWarning[] } | null; onChanged: () => void }) {
  const { t, i18n } = useTranslation('applicants');
  const tc = useTranslation('common').t;
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const s = useAuthSession();
  // The edit history's coded values (commune, lists) in words, from the lists the form uses.
  const { lookups } = useLookups(s.status.office?.provinceCode ?? null);
  const coded = (field: string, code: string): string | null => codedLabel(field, code, lookups, lang);
  const [dialog, setDialog] = useState(false);
  const n = displayName(file, lang);
  const hidden = new Set(file.hiddenFields);
  const yesNo = (b: boolean | null) => (b === null ? '' : b ? tc('yes') : tc('no'));
  const v = (x: string | null | undefined) => x || tc('none');

  const identity: [string, React.ReactNode][] = [
    [t('field.fileNo'), <bdi dir="ltr">{file.fileNo}</bdi>],
    [t('field.cin'), <bdi dir="ltr">{v(file.cin)}</bdi>],
    [t('field.idcs'), <bdi dir="ltr">{v(file.idcs)}</bdi>],
    [t('field.firstNameAr'), <bdi>{v(file.firstNameAr)}</bdi>],
    [t('field.lastNameAr'), <bdi>{v(file.lastNameAr)}</bdi>],
    [t('field.firstNameLat'), <bdi>{v(file.firstNameLat)}</bdi>],
    [t('field.lastNameLat'), <bdi>{v(file.lastNameLat)}</bdi>],
    [t('field.sex'), t(`sex.${file.sex}`)],
    [t('field.birthDate'), file.birthDate ? `${showDate(file.birthDate)} (${t('form.ageLive', { age: file.age })})` : tc('none')],
  ];
  const contact: [string, React.ReactNode][] = [
    [t('field.phone'), <bdi dir="ltr">{v(file.phone)}</bdi>],
    [t('field.phoneOwner'), file.phoneOwner ? t(`phoneOwner.${file.phoneOwner}`) : tc('none')],
    [t('field.address'), v(file.address)],
    [t('field.douar'), v(file.douar)],
    [t('field.commune'), file.commune ? `${label(file.commune, lang)} (${t(`communeType.${file.commune.type}`)})` : tc('none')],
    [t('field.educationLevel'), v(label(file.educationLevel, lang))],
    [t('field.vocationalLevel'), v(label(file.vocationalLevel, lang))],
    [t('field.maritalStatus'), v(label(file.maritalStatus, lang))],
  ];
  const categories: [string, React.ReactNode][] = [
    [t('field.isProjectHolder'), yesNo(file.isProjectHolder)],
    [t('field.isDifficultSituation'), yesNo(file.isDifficultSituation)],
  ];
  if (file.isDifficultSituation) categories.push([t('field.situations'), file.situations.map((x) => label(x, lang)).join(tc('listSep')) || tc('none')]);
  if (hidden.has('hasDisability')) categories.push([t('field.hasDisability'), t('form.hiddenSensitive')]);
  else {
    categories.push([t('field.hasDisability'), yesNo(file.hasDisability)]);
    if (file.hasDisability) {
      categories.push(
        [t('field.disabilityTypes'), (file.disabilityTypes ?? []).map((x) => label(x, lang)).join(tc('listSep'))],
        [t('field.disabilitySeverity'), file.disabilitySeverity ? t(`severity.${file.disabilitySeverity}`) : tc('none')],
        [t('field.disabilityCardNumber'), <bdi dir="ltr">{v(file.disabilityCardNumber)}</bdi>],
        [t('field.disabilityCardExpiry'), v(showDate(file.disabilityCardExpiry))],
      );
    }
  }
  categories.push([t('field.rsuRegistered'), yesNo(file.rsuRegistered)]);
  if (file.rsuIndex !== null) categories.push([t('field.rsuIndex'), String(file.rsuIndex)]);
  const project: [string, React.ReactNode][] = [
    [t('field.projectSector'), v(label(file.projectSector, lang))],
    [t('field.projectStage'), v(label(file.projectStage, lang))],
    [t('field.projectLegalForm'), v(label(file.projectLegalForm, lang))],
    [t('field.projectDescription'), v(file.projectDescription)],
    [t('field.heardFrom'), v(label(file.heardFrom, lang))],
  ];

  return (
    <Stack gap="md" maw={1100} data-testid="applicant-page">
      <Anchor href={href('applicants')}>{t('backToList')}</Anchor>
      {flash && (
        <Alert color="teal" data-testid="applicant-flash">
          <Stack gap={4}>
            <Text>{flash.text}</Text>
            {flash.warnings.map((w) => (
              <Text key={w.code} c="red.9" size="sm" data-testid="applicant-warning">
                ⚠ {codeText(w.code, w.params)}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {file.anonymisedAt && <Alert color="gray">{t('page.anonymised')}</Alert>}
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} data-testid="applicant-name">
              <bdi>{n.main}</bdi>
            </Title>
            {n.other && (
              <Text c="dimmed">
                <bdi>{n.other}</bdi>
              </Text>
            )}
            <Text size="sm" c="dimmed">
              {t('field.fileNo')}: <bdi dir="ltr">{file.fileNo}</bdi> · {t('page.createdBy', { name: file.createdBy ? whoName(file.createdByName, file.createdBy, t) : '', date: showDate(file.createdAt) })}
            </Text>
          </Stack>
          <Stack gap="xs" align="flex-end">
            <Badge size="lg" color={statusColor(file.status)} data-testid="applicant-status" data-status={file.status}>
              {t(`status.${file.status}`)}
              {file.financingSource ? ` · ${t(`financing.${file.financingSource}`)}` : ''}
            </Badge>
            <Group gap="xs">
              <Button variant="default" size="xs" component="a" href={href('sessions', 'applicant', file.id)} data-testid="applicant-training">{t('sessions:applicant.title')}</Button>
              {can(s.user.role, 'applicants.update') && !file.anonymisedAt && (
                <Button variant="default" size="xs" component="a" href={href('applicants', file.id, 'edit')} data-testid="applicant-edit">
                  {t('page.edit')}
                </Button>
              )}
              {can(s.user.role, 'applicants.setStatus') && file.allowedMoves.length > 0 && (
                <Button size="xs" onClick={() => setDialog(true)} data-testid="status-change">
                  {t('page.changeStatus')}
                </Button>
              )}
            </Group>
          </Stack>
        </Group>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('section.identity')} rows={identity} />
        <Section title={t('section.contact')} rows={contact} />
        <Section title={t('section.categories')} rows={categories} />
        <Section title={t('section.project')} rows={project} />
      </SimpleGrid>
      <Paper withBorder p="md">
        <Text size="sm" data-testid="applicant-consent">
          {t('page.consent', {
            status: t(`consentStatus.${file.consent.status}`),
            date: showDate(file.consent.date),
            version: file.consent.textVersion ?? '',
            channel: file.consent.channel ? t(`channel.${file.consent.channel}`, { defaultValue: file.consent.channel }) : '',
          })}
        </Text>
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} mb="sm">
          {t('section.statusHistory')}
        </Title>
        {file.statusHistory.length === 0 ? (
          <Text>{t('page.noHistory')}</Text>
        ) : (
          <Table striped data-testid="status-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('page.at')}</Table.Th>
                <Table.Th>{t('page.from')}</Table.Th>
                <Table.Th>{t('page.to')}</Table.Th>
                <Table.Th>{t('page.reason')}</Table.Th>
                <Table.Th>{t('page.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {file.statusHistory.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{showDate(h.at)}</Table.Td>
                  <Table.Td>{h.from ? t(`status.${h.from}`) : tc('none')}</Table.Td>
                  <Table.Td>
                    {t(`status.${h.to}`)}
                    {h.financingSource ? ` (${t(`financing.${h.financingSource}`)})` : ''}
                  </Table.Td>
                  <Table.Td>{reasonText(h.reason, t)}</Table.Td>
                  <Table.Td>{whoDid(h.personName, h.userName, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} mb="sm">
          {t('section.editHistory')}
        </Title>
        {file.editHistory.length === 0 ? (
          <Text>{t('page.noHistory')}</Text>
        ) : (
          <Table striped data-testid="edit-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('page.at')}</Table.Th>
                <Table.Th>{t('page.by')}</Table.Th>
                <Table.Th>{t('page.fields')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {file.editHistory.map((h, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{showDateTime(h.at)}</Table.Td>
                  <Table.Td>{whoDid(h.personName, h.actorName, t)}</Table.Td>
                  <Table.Td>
                    {Object.entries(h.changes).map(([field, [from, to]]) => (
                      <div key={field}>
                        {t('page.changed', { field: t(`field.${field}`, { defaultValue: field }), from: showValue(field, from, t, tc, coded), to: showValue(field, to, t, tc, coded) })}
                      </div>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <StatusDialog file={file} opened={dialog} onClose={() => setDialog(false)} onDone={onChanged} />
    </Stack>
  );
}

/** The form's reference list behind each coded field of the applicant. */
const REF_KIND_OF: Readonly<Record<string, RefKind>> = {
  educationLevel: 'education',
  vocationalLevel: 'vocational',
  maritalStatus: 'marital',
  situations: 'situation',
  disabilityTypes: 'disability_type',
  projectSector: 'sector',
  projectStage: 'project_stage',
  projectLegalForm: 'legal_form',
  heardFrom: 'heard_from',
};

/** A coded value (a commune, an item of a list) in words, or null when the lists are not loaded or do not hold it. */
function codedLabel(field: string, code: string, lookups: Lookups | null, lang: Lang): string | null {
  if (!lookups) return null;
  if (field === 'communeCode') {
    const c = lookups.communeByCode.get(code);
    return c ? label(c, lang) : null;
  }
  const kind = REF_KIND_OF[field];
  const item = kind ? lookups.refs[kind]?.find((r) => r.code === code) : undefined;
  return item ? label(item, lang) : null;
}

/** A value of the edit history, readable: statuses, sex, yes/no, consent, communes and lists translated. */
function showValue(field: string, x: unknown, t: TFunction, tc: TFunction, coded: (field: string, code: string) => string | null): string {
    if (x === null || x === undefined || x === '') return tc('none');
    if (typeof x === 'boolean') return x ? tc('yes') : tc('no');
    if (Array.isArray(x)) return x.map((y) => showValue(field, y, t, tc, coded)).join(tc('listSep'));
    if (typeof x === 'object') {
      return Object.entries(x as Record<string, unknown>)
        .filter(([, y]) => y !== null && y !== undefined && y !== '')
        .map(([k, y]) => `${t(`field.${k}`, { defaultValue: k })}: ${showValue(k, y, t, tc, coded)}`)
        .join(tc('listSep'));
    }
    const s = String(x);
    if (field === 'status' || field === 'to' || field === 'from') return t(`status.${s}`, { defaultValue: s });
    if (field === 'sex') return t(`sex.${s}`, { defaultValue: s });
    if (field === 'channel') return t(`channel.${s}`, { defaultValue: s });
    if (field === 'phoneOwner') return t(`phoneOwner.${s}`, { defaultValue: s });
    if (field === 'disabilitySeverity') return t(`severity.${s}`, { defaultValue: s });
    if (field === 'financingSource') return t(`financing.${s}`, { defaultValue: s });
    const words = coded(field, s);
    if (words) return words;
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return showDate(s);
    return s;
  }

function Section({ title, rows }: { title: string; rows: [string, React.ReactNode][] }) {
  return (
    <Paper withBorder p="md">
      <Title order={3} mb="sm">
        {title}
      </Title>
      <dl className="kv">
        {rows.map(([k, val]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{val}</dd>
          </div>
        ))}
      </dl>
    </Paper>
  );
}

/** Offers only the legal moves from the current status; asks for a reason or a financing source when needed. */
function StatusDialog({ file, opened, onClose, onDone }: { file: ApplicantFile; opened: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation('applicants');
  const tc = useTranslation('common').t;
  const [to, setTo] = useState<ApplicantStatus | ''>('');
  const [reason, setReason] = useState('');
  const [source, setSource] = useState<FinancingSource | ''>('');
  const [date, setDate] = useState(today());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setTo(file.allowedMoves[0] ?? '');
      setReason('');
      setSource('');
      setDate(today());
      setErrors({});
      setFailure(null);
    }
  }, [opened, file.allowedMoves]);

  const needsReason = to !== '' && STATUSES_NEEDING_REASON.includes(to);
  const needsSource = to !== '' && STATUSES_NEEDING_SOURCE.includes(to);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!to) return;
    const fe: Record<string, string> = {};
    if (needsReason && !reason.trim()) fe.reason = t('page.reasonRequired');
    if (needsSource && !source) fe.financingSource = codeText('applicant.financing_source_required');
    setErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.call('applicants.setStatus', { id: file.id, to, reason, financingSource: source || undefined, date });
      onClose();
      onDone();
    } catch (err) {
      const ae = asApiError(err);
      const fe2 = fieldErrors(ae);
      if (ae.code === 'applicant.reason_required') fe2.reason = errorText(ae);
      if (ae.code === 'applicant.financing_source_required') fe2.financingSource = errorText(ae);
      setErrors(fe2);
      if (!Object.keys(fe2).length) setFailure(errorText(ae));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('page.changeStatus')} centered>
      <form onSubmit={submit} noValidate data-testid="status-dialog">
        <Stack>
          <Text size="sm">
            {t('field.status')}: <b>{t(`status.${file.status}`)}</b>
          </Text>
          <NativeSelect
            label={t('page.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value as ApplicantStatus)}
            data={file.allowedMoves.map((m) => ({ value: m, label: t(`status.${m}`) }))}
            error={errors.to}
            data-testid="status-to"
          />
          {needsSource && (
            <NativeSelect
              label={t('page.financingSource')}
              required
              value={source}
              onChange={(e) => setSource(e.currentTarget.value as FinancingSource)}
              data={[{ value: '', label: t('form.choose') }, ...FINANCING_SOURCES.map((f) => ({ value: f, label: t(`financing.${f}`) }))]}
              error={errors.financingSource}
              data-testid="status-source"
            />
          )}
          <Textarea label={t('page.reason')} required={needsReason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} autosize minRows={2} data-testid="status-reason" />
          <DateField label={t('page.date')} value={date} onChange={setDate} error={errors.date} data-testid="status-date" />
          {failure && (
            <Alert color="red" data-testid="status-error">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {tc('cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="status-confirm">
              {t('page.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
