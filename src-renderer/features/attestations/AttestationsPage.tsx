import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, List, NativeSelect, Paper, Progress, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AttestationEntry, BatchStatus, Eligibility, IssuePlan, VerifyResult } from '../../../src-main/shared/api/attestations.contract';
import type { ApplicantListItem } from '../../../src-main/shared/api/applicants.contract';
import type { CohortSummary } from '../../../src-main/shared/api/sessions.contract';
import { api } from '../../api/client';
import { codeText, errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useAttestationKinds, useAttestationRegister, useCohortList, useEligibility, useVerifySettings } from './attestations.data';
import { useAuthSession } from '../../lib/auth-session';
import type { PageProps } from '../../lib/page';
import { formatDate } from '../../../src-main/shared/format';
import { num, range as fmtRange } from '../../lib/format';
import { PdfActions, PrintButton, type PdfFile } from '../../components/PdfActions';

type Msg = { ok: boolean; text: string } | null;

function Message({ m }: { m: Msg }) {
  if (!m) return null;
  return (
    <Alert color={m.ok ? 'green' : 'red'} data-testid="attestations-message">
      {m.text}
    </Alert>
  );
}

/** Attestations: issue with preview, batches per cohort, the register (duplicata, revocation), verification. */
export function AttestationsPage(_props: PageProps) {
  const { t } = useTranslation('attestations');
  const { user } = useAuthSession();
  const [tab, setTab] = useState<string | null>(can(user.role, 'attestations.preview') ? 'issue' : 'verify');
  return (
    <Stack gap="lg" maw={1150}>
      <Title order={2}>{t('title')}</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {can(user.role, 'attestations.preview') && <Tabs.Tab value="issue" data-testid="tab-issue">{t('tabs.issue')}</Tabs.Tab>}
          {can(user.role, 'attestations.batchStart') && <Tabs.Tab value="batch" data-testid="tab-batch">{t('tabs.batch')}</Tabs.Tab>}
          {can(user.role, 'attestations.list') && <Tabs.Tab value="register" data-testid="tab-register">{t('tabs.register')}</Tabs.Tab>}
          <Tabs.Tab value="verify" data-testid="tab-verify">{t('tabs.verify')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="issue" pt="md"><IssuePanel /></Tabs.Panel>
        <Tabs.Panel value="batch" pt="md"><BatchPanel /></Tabs.Panel>
        <Tabs.Panel value="register" pt="md"><RegisterPanel /></Tabs.Panel>
        <Tabs.Panel value="verify" pt="md"><VerifyPanel /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const fullName = (a: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string }, lang: string) =>
  lang === 'ar' ? `${a.firstNameAr} ${a.lastNameAr}`.trim() || `${a.firstNameLat} ${a.lastNameLat}` : `${a.firstNameLat} ${a.lastNameLat}`.trim() || `${a.firstNameAr} ${a.lastNameAr}`;

function IssuePanel() {
  const { t } = useTranslation('attestations');
  const { user, lang } = useAuthSession();
  const kinds = useAttestationKinds();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ApplicantListItem[] | null>(null);
  const [picked, setPicked] = useState<ApplicantListItem | null>(null);
  const [kind, setKind] = useState('participation');
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  // Issuing is two steps: the preview with what will be recorded, then the confirmation.
  const [plan, setPlan] = useState<IssuePlan | null>(null);
  // The last PDF made here (preview, attestation, duplicata), with its print button.
  const [doc, setDoc] = useState<PdfFile | null>(null);

  const search = async () => {
    setMsg(null);
    try {
      const r = await api.call('applicants.search', { q, limit: 10 });
      setFound(r.items);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const check = useEligibility(picked?.id ?? null, kind);
  const elig: Eligibility | null = picked ? check.data : null;
  useEffect(() => {
    setPlan(null);
    setDoc(null);
  }, [picked, kind]);

  const run = async (m: 'preview' | 'issue' | 'duplicata') => {
    if (!picked) return;
    setBusy(true);
    setMsg(null);
    try {
      if (m === 'preview') {
        const r = await api.call('attestations.preview', { applicantId: picked.id, kind });
        setPlan(r.plan);
        setDoc({ id: r.fileId, name: r.fileName });
        await api.openFile(r.fileId);
      } else if (m === 'duplicata' && plan?.current) {
        const r = await api.call('attestations.reprint', { serial: plan.current.serial });
        setPlan(null);
        setDoc({ id: r.fileId, name: r.fileName });
        await api.openFile(r.fileId);
      } else if (plan) {
        const r = await api.call('attestations.issue', { applicantId: picked.id, kind, issueDate: plan.issueDate });
        setPlan(null);
        setMsg({ ok: true, text: t('issue.issued', { serial: r.entry.serial }) });
        setDoc({ id: r.fileId, name: r.fileName });
        await api.openFile(r.fileId);
      }
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Group align="end">
        <TextInput label={t('issue.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && void search()} w={420} data-testid="issue-search" />
        <Button onClick={() => void search()} data-testid="issue-search-go">{t('issue.pick')}</Button>
      </Group>
      {found && !found.length && <Text c="dimmed">{t('issue.none')}</Text>}
      {found && found.length > 0 && (
        <Table striped highlightOnHover data-testid="issue-results">
          <Table.Tbody>
            {found.map((a) => (
              <Table.Tr key={a.id} onClick={() => setPicked(a)} style={{ cursor: 'pointer' }} bg={picked?.id === a.id ? 'var(--mantine-color-blue-light)' : undefined}>
                <Table.Td>{fullName(a, lang)}</Table.Td>
                <Table.Td><bdi>{a.cin ?? '—'}</bdi></Table.Td>
                <Table.Td><bdi>{a.fileNo}</bdi></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {picked && (
        <Paper withBorder p="md">
          <Stack>
            <Text fw={600}>{fullName(picked, lang)} — <bdi>{picked.cin ?? ''}</bdi></Text>
            <NativeSelect label={t('issue.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={kinds.map((k) => ({ value: k.code, label: lang === 'ar' ? k.labelAr : k.labelFr }))} w={420} data-testid="issue-kind" />
            {elig && <EligibilityView e={elig} />}
            {!plan && (
              <Group>
                <Button loading={busy} disabled={!elig?.eligible} onClick={() => void run('preview')} data-testid="issue-preview">
                  {can(user.role, 'attestations.issue') ? t('issue.prepare') : t('issue.preview')}
                </Button>
              </Group>
            )}
            {doc && <PdfActions file={doc} testId="issue-pdf" onError={(text) => setMsg({ ok: false, text })} />}
            {plan && <PlanView plan={plan} />}
            {plan && (
              <Group>
                {can(user.role, 'attestations.issue') && !plan.current?.unchanged && (
                  <Button loading={busy} onClick={() => void run('issue')} data-testid="issue-issue">{t('issue.confirm')}</Button>
                )}
                {can(user.role, 'attestations.reprint') && plan.current?.unchanged && (
                  <Button loading={busy} onClick={() => void run('duplicata')} data-testid="issue-duplicata">{t('issue.duplicata', { serial: plan.current.serial })}</Button>
                )}
                <Button variant="default" onClick={() => setPlan(null)} data-testid="issue-cancel">{t('issue.cancel')}</Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}
      <Message m={msg ?? (picked && check.error ? { ok: false, text: check.error } : null)} />
    </Stack>
  );
}

/**
 * The public verification page: its address (set by the region, received by the provinces with the exchange
 * receipts, printed in every QR code) and, at the region, the button that writes the page to put on the web host.
 */
function VerifyPageCard() {
  const { t } = useTranslation('attestations');
  const { user } = useAuthSession();
  const verify = useVerifySettings();
  const settings = verify.data;
  const [url, setUrl] = useState('');
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  // The field starts from the saved address once it is known (and after each save).
  const savedUrl = settings?.url;
  useEffect(() => {
    if (savedUrl !== undefined) setUrl(savedUrl ?? '');
  }, [savedUrl]);
  if (!settings || verify.error) return null;
  const save = async () => {
    setMsg(null);
    try {
      const r = await api.call('attestations.setVerifyUrl', { url: url.trim() ? url.trim() : null });
      verify.setData({ ...settings, url: r.url });
      setUrl(r.url ?? '');
      setMsg({ ok: true, text: t('page.saved') });
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const write = async () => {
    setMsg(null);
    setBusy(true);
    try {
      const r = await api.call('attestations.verifyPage', {});
      await api.saveFile(r.fileId, 'index.html');
      setMsg({ ok: true, text: t('page.written', { revoked: r.revoked, replaced: r.replaced, offices: r.offices }) });
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="verify-page-card">
      <Stack gap="xs">
        <Title order={4}>{t('page.title')}</Title>
        <Text size="sm" c="dimmed">{settings.isRegion ? t('page.regionHelp') : t('page.provinceHelp')}</Text>
        {settings.isRegion && can(user.role, 'attestations.setVerifyUrl') ? (
          <>
            <Group align="end">
              <TextInput label={t('page.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} dir="ltr" w={420} placeholder="https://" data-testid="verify-url" />
              <Button variant="default" onClick={() => void save()} data-testid="verify-url-save">{t('page.save')}</Button>
            </Group>
            <Group>
              <Button loading={busy} onClick={() => void write()} data-testid="verify-page-write">{t('page.write')}</Button>
            </Group>
          </>
        ) : (
          <Text size="sm" data-testid="verify-url-show">
            {t('page.url')}: <bdi>{settings.url ?? t('page.none')}</bdi>
          </Text>
        )}
        <Message m={msg} />
      </Stack>
    </Paper>
  );
}

/** What issuing will record, shown after the preview and before the confirmation. */
function PlanView({ plan }: { plan: IssuePlan }) {
  const { t } = useTranslation('attestations');
  const { lang } = useAuthSession();
  const kinds = useAttestationKinds();
  const k = kinds.find((x) => x.code === plan.kind);
  const line = (label: string, value: string | number | null) =>
    value === null || value === '' ? null : (
      <Table.Tr>
        <Table.Th w={260}>{label}</Table.Th>
        <Table.Td><bdi>{value}</bdi></Table.Td>
      </Table.Tr>
    );
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" data-testid="issue-plan">
      <Text fw={600} mb="xs">{t('issue.confirmTitle')}</Text>
      <Table>
        <Table.Tbody>
          {line(t('issue.plan.name'), lang === 'ar' ? plan.fullNameAr || plan.fullNameLat : plan.fullNameLat || plan.fullNameAr)}
          {line(t('issue.plan.fileNo'), plan.fileNo)}
          {line(t('issue.plan.kind'), k ? (lang === 'ar' ? k.labelAr : k.labelFr) : plan.kind)}
          {line(t('issue.plan.date'), formatDate(plan.issueDate))}
          {line(t('issue.plan.hours'), plan.hours === null ? null : num(plan.hours))}
          {line(t('issue.plan.period'), plan.periodFrom && plan.periodTo ? fmtRange(plan.periodFrom, plan.periodTo) : null)}
          {!plan.current?.unchanged && line(t('issue.plan.serial'), plan.nextSerial)}
        </Table.Tbody>
      </Table>
      {plan.current && (
        <Alert mt="xs" color={plan.current.unchanged ? 'blue' : 'orange'} data-testid={plan.current.unchanged ? 'plan-unchanged' : 'plan-replaces'}>
          {t(plan.current.unchanged ? 'issue.plan.unchanged' : 'issue.plan.replaces', { serial: plan.current.serial, date: formatDate(plan.current.issueDate) })}
        </Alert>
      )}
    </Paper>
  );
}

function EligibilityView({ e }: { e: Eligibility }) {
  const { t } = useTranslation('attestations');
  const p = e.participation;
  return (
    <Stack gap={4} data-testid="eligibility">
      {p && (
        <Text size="sm">
          {t('issue.hours', { hours: num(p.totalHours), min: num(p.criteria.minHours) })} · {t('issue.rate', { rate: num(Math.round(p.attendanceRate * 1000) / 10), min: num(Math.round(p.criteria.minAttendanceRate * 100)) })}
        </Text>
      )}
      {e.eligible ? (
        <Alert color="green">{t('issue.eligible')}</Alert>
      ) : (
        <Alert color="orange" title={t('issue.notEligible')}>
          <List size="sm">
            {e.problems.map((pr, i) => (
              <List.Item key={i}>{codeText(pr.code, pr.params)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

function BatchPanel() {
  const { t } = useTranslation('attestations');
  const { lang } = useAuthSession();
  const kinds = useAttestationKinds();
  const cohortList = useCohortList();
  const cohorts: CohortSummary[] = cohortList.data ?? [];
  const [cohortId, setCohortId] = useState('');
  const [kind, setKind] = useState('participation');
  const [mode, setMode] = useState<'single' | 'per_person'>('single');
  const [status, setStatus] = useState<BatchStatus | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // The first cohort is chosen once the list arrives.
  const firstCohort = cohortList.data?.[0]?.id;
  useEffect(() => {
    if (firstCohort) setCohortId(firstCohort);
  }, [firstCohort]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const poll = useCallback((jobId: string) => {
    timer.current = setTimeout(async () => {
      try {
        const s = await api.call('attestations.batchStatus', { jobId });
        setStatus(s);
        if (s.state === 'running') poll(jobId);
      } catch (e) {
        setMsg({ ok: false, text: errorText(e) });
      }
    }, 400);
  }, []);

  const start = async () => {
    setMsg(null);
    try {
      const s = await api.call('attestations.batchStart', { cohortId, kind, mode });
      setStatus(s);
      if (s.state === 'running') poll(s.jobId);
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const cancel = async () => {
    if (status) setStatus(await api.call('attestations.batchCancel', { jobId: status.jobId }));
  };

  return (
    <Stack>
      <Group align="end">
        <NativeSelect label={t('batch.cohort')} value={cohortId} onChange={(e) => setCohortId(e.currentTarget.value)} data={cohorts.map((c) => ({ value: c.id, label: c.name }))} w={320} data-testid="batch-cohort" />
        <NativeSelect label={t('issue.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={kinds.map((k) => ({ value: k.code, label: lang === 'ar' ? k.labelAr : k.labelFr }))} w={320} />
        <NativeSelect label={t('batch.mode')} value={mode} onChange={(e) => setMode(e.currentTarget.value as 'single' | 'per_person')} data={[{ value: 'single', label: t('batch.single') }, { value: 'per_person', label: t('batch.perPerson') }]} />
      </Group>
      <Group>
        <Button onClick={() => void start()} disabled={!cohortId || status?.state === 'running'} data-testid="batch-start">{t('batch.start')}</Button>
        {status?.state === 'running' && <Button color="red" variant="light" onClick={() => void cancel()} data-testid="batch-cancel">{t('batch.cancel')}</Button>}
      </Group>
      {status && (
        <Paper withBorder p="md" data-testid="batch-status">
          <Stack gap="xs">
            <Progress value={status.total ? (100 * status.done) / status.total : 100} animated={status.state === 'running'} />
            <Text size="sm">{t('batch.progress', { done: status.done, total: status.total })}</Text>
            {status.state === 'done' && <Alert color="green">{t('batch.done', { n: status.total })}</Alert>}
            {status.state === 'cancelled' && <Alert color="orange">{t('batch.cancelled', { done: status.done, total: status.total })}</Alert>}
            {status.state === 'failed' && status.error && <Alert color="red">{codeText(status.error.code, status.error.params)}</Alert>}
            {status.files.length > 0 && (
              <Group gap="xs">
                {status.files.slice(0, 50).map((f) => (
                  <Group key={f.fileId} gap={4}>
                    <Text size="sm"><bdi>{f.fileName}</bdi></Text>
                    <Button size="compact-xs" variant="light" onClick={() => void api.openFile(f.fileId)}>{t('batch.open')}</Button>
                    {/\.pdf$/i.test(f.fileName) && <PrintButton size="compact-xs" fileId={f.fileId} testId="batch-print" onError={(text) => setMsg({ ok: false, text })} />}
                    <Button size="compact-xs" variant="default" onClick={() => void api.saveFile(f.fileId, f.fileName)}>{t('batch.save')}</Button>
                  </Group>
                ))}
              </Group>
            )}
            {status.skipped.length > 0 && (
              <Alert color="gray" title={t('batch.skipped', { n: status.skipped.length })}>
                <List size="sm">
                  {status.skipped.map((s) => (
                    <List.Item key={s.applicantId}>
                      <bdi>{s.fullName}</bdi>: {s.problems.map((p) => codeText(p.code, p.params)).join(' ')}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
      <Message m={msg ?? (cohortList.error ? { ok: false, text: cohortList.error } : null)} />
    </Stack>
  );
}

function RegisterPanel() {
  const { t } = useTranslation('attestations');
  const { user, lang } = useAuthSession();
  const kinds = useAttestationKinds();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [revoking, setRevoking] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState<Msg>(null);
  // The PDF just reprinted, with its print button, on the row it belongs to.
  const [doc, setDoc] = useState<(PdfFile & { entryId: string }) | null>(null);

  const register = useAttestationRegister({
    ...(q.trim() ? { q: q.trim() } : {}),
    ...(status ? { status: status as 'valid' | 'revoked' | 'replaced' } : {}),
    ...(kind ? { kind } : {}),
    limit: 100,
  });
  const rows: AttestationEntry[] = register.data?.rows ?? [];
  const total = register.data?.total ?? 0;
  const load = register.reload;

  const reprint = async (e: AttestationEntry) => {
    setMsg(null);
    try {
      const r = await api.call('attestations.reprint', { id: e.id });
      setDoc({ id: r.fileId, name: r.fileName, entryId: r.entry.id });
      await api.openFile(r.fileId);
      await load();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  const revoke = async (id: string) => {
    setMsg(null);
    try {
      await api.call('attestations.revoke', { id, reason });
      setRevoking(null);
      setReason('');
      await load();
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  };
  const kindLabel = (code: string) => {
    const k = kinds.find((x) => x.code === code);
    return k ? (lang === 'ar' ? k.labelAr : k.labelFr) : code;
  };

  return (
    <Stack>
      <Group align="end">
        <TextInput label={t('register.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={300} data-testid="register-search" />
        <NativeSelect label={t('register.status')} value={status} onChange={(e) => setStatus(e.currentTarget.value)} data={[{ value: '', label: t('register.all') }, { value: 'valid', label: t('register.valid') }, { value: 'revoked', label: t('register.revoked') }, { value: 'replaced', label: t('register.replaced') }]} />
        <NativeSelect label={t('register.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={[{ value: '', label: t('register.all') }, ...kinds.map((k) => ({ value: k.code, label: lang === 'ar' ? k.labelAr : k.labelFr }))]} />
      </Group>
      <Text size="sm" c="dimmed">{t('register.total', { n: total })}</Text>
      <Table striped data-testid="register-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('register.serial')}</Table.Th>
            <Table.Th>{t('register.name')}</Table.Th>
            <Table.Th>{t('register.kind')}</Table.Th>
            <Table.Th>{t('register.date')}</Table.Th>
            <Table.Th>{t('register.status')}</Table.Th>
            <Table.Th>{t('register.prints')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid={`register-row-${r.serial}`}>
              <Table.Td><bdi>{r.serial}</bdi></Table.Td>
              <Table.Td>{lang === 'ar' ? r.fullNameAr || r.fullNameLat : r.fullNameLat || r.fullNameAr}</Table.Td>
              <Table.Td>{kindLabel(r.kind)}</Table.Td>
              <Table.Td><bdi>{r.issueDate}</bdi></Table.Td>
              <Table.Td>
                <Badge color={r.status === 'revoked' ? 'red' : r.replacedBy ? 'gray' : 'green'}>{t(`register.${r.status === 'valid' && r.replacedBy ? 'replaced' : r.status}`)}</Badge>
                {r.revokeReason && <Text size="xs" c="dimmed">{r.revokeReason}</Text>}
                {r.replacedBy && <Text size="xs" c="dimmed">{t('register.replacedBy', { serial: r.replacedBy })}</Text>}
                {r.replaces && <Text size="xs" c="dimmed">{t('register.replaces', { serial: r.replaces })}</Text>}
              </Table.Td>
              <Table.Td>{r.printCount}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {can(user.role, 'attestations.reprint') && r.status === 'valid' && !r.replacedBy && (
                    <Button size="compact-xs" variant="light" onClick={() => void reprint(r)} data-testid="register-reprint">
                      {r.printCount > 0 ? t('register.reprint') : t('register.print')}
                    </Button>
                  )}
                  {can(user.role, 'attestations.revoke') && r.status === 'valid' && (
                    <Button size="compact-xs" color="red" variant="subtle" onClick={() => setRevoking(r.id)} data-testid="register-revoke">{t('register.revoke')}</Button>
                  )}
                </Group>
                {doc?.entryId === r.id && (
                  <Group mt={4}>
                    <PdfActions file={doc} size="compact-xs" testId="register-pdf" onError={(text) => setMsg({ ok: false, text })} />
                  </Group>
                )}
                {revoking === r.id && (
                  <Group gap={4} mt={4} wrap="nowrap">
                    <TextInput size="xs" placeholder={t('register.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="register-reason" />
                    <Button size="compact-xs" color="red" disabled={reason.trim().length < 3} onClick={() => void revoke(r.id)} data-testid="register-revoke-confirm">{t('register.confirmRevoke')}</Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Message m={msg ?? (register.error ? { ok: false, text: register.error } : null)} />
    </Stack>
  );
}

function VerifyPanel() {
  const { t } = useTranslation('attestations');
  const { lang } = useAuthSession();
  const kinds = useAttestationKinds();
  const [code, setCode] = useState('');
  const [cin, setCin] = useState('');
  const [v, setV] = useState<VerifyResult | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const verify = async () => {
    setMsg(null);
    try {
      setV(await api.call('attestations.verify', { code, ...(cin.trim() ? { cin: cin.trim() } : {}) }));
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    }
  };
  const colour = v ? ({ valid: 'green', revoked: 'red', replaced: 'orange', unknown_office: 'orange', tampered: 'red', not_found: 'orange' } as const)[v.verdict] : 'gray';
  const row = (label: string, value: string | number | null | undefined) =>
    value === null || value === undefined || value === '' ? null : (
      <Table.Tr>
        <Table.Th w={180}>{label}</Table.Th>
        <Table.Td><bdi>{value}</bdi></Table.Td>
      </Table.Tr>
    );
  return (
    <Stack maw={760}>
      <Textarea label={t('verify.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autosize minRows={2} dir="ltr" data-testid="verify-code" />
      <TextInput label={t('verify.cin')} value={cin} onChange={(e) => setCin(e.currentTarget.value)} w={260} dir="ltr" data-testid="verify-cin" />
      <Group>
        <Button onClick={() => void verify()} disabled={code.trim().length < 3} data-testid="verify-go">{t('verify.verify')}</Button>
      </Group>
      {v && (
        <Paper withBorder p="md" data-testid="verify-result">
          <Stack gap="xs">
            <Badge size="xl" color={colour} data-testid={`verdict-${v.verdict}`}>{t(`verify.verdict.${v.verdict}`)}</Badge>
            {v.verdict === 'tampered' && v.valuesFrom === 'register' && <Alert color="gray" data-testid="verify-from-register">{t('verify.fromRegister')}</Alert>}
            {v.cinMatches !== null && <Alert color={v.cinMatches ? 'green' : 'red'}>{v.cinMatches ? t('verify.cinOk') : t('verify.cinBad')}</Alert>}
            <Table>
              <Table.Tbody>
                {row(t('verify.fields.serial'), v.serial)}
                {row(t('verify.fields.name'), v.name)}
                {row(t('verify.fields.kind'), (() => {
                  const k = kinds.find((x) => x.code === v.kind);
                  return k ? (lang === 'ar' ? k.labelAr : k.labelFr) : v.kind;
                })())}
                {row(t('verify.fields.date'), v.issueDate)}
                {row(t('verify.fields.hours'), v.hours === null ? null : num(v.hours))}
                {row(t('verify.fields.office'), v.office ? (lang === 'ar' ? v.office.nameAr : v.office.nameFr) : null)}
                {row(t('verify.fields.revoked'), v.revokedAt)}
                {row(t('verify.fields.reason'), v.revokeReason)}
                {row(t('verify.fields.replacedBy'), v.replacedBy)}
                {row(t('verify.fields.replacedAt'), v.replacedAt?.slice(0, 10))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      )}
      <Message m={msg} />
      <VerifyPageCard />
    </Stack>
  );
}
