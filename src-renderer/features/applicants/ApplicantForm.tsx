import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Loader, NativeSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  CONSENT_CHANNELS,
  DISABILITY_SEVERITIES,
  PHONE_OWNERS,
  type ApplicantFile,
  type ConsentText,
  type DuplicateCandidate,
  type DuplicateCheckResult,
  type RefKind,
} from '../../../src-main/shared/api/applicants.contract';
import { cinFormatOk, normalizeCin } from '../../../src-main/shared/normalize/cin';
import { normalizePhone } from '../../../src-main/shared/normalize/phone';
import { ageOn, parseDateInput } from '../../../src-main/shared/normalize/dates';
import { api, asApiError } from '../../api/client';
import { codeText, errorText, fieldErrors } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { displayName, label, showDate, today, useLookups, type Lookups } from '../../lib/lookups';
import { setFlash } from './flash';
import { ConsentTextView } from '../../components/ConsentTextView';
import { MatchLevelBadge, MatchReasons } from '../../components/matching/MatchReasons';

interface FormState {
  cin: string;
  idcs: string;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  sex: 'F' | 'M';
  birthDate: string;
  phone: string;
  phoneOwner: string;
  address: string;
  douar: string;
  communeCode: string;
  educationLevel: string;
  vocationalLevel: string;
  maritalStatus: string;
  isProjectHolder: boolean;
  isDifficultSituation: boolean;
  situations: string[];
  hasDisability: boolean;
  disabilityTypes: string[];
  disabilitySeverity: string;
  disabilityCardNumber: string;
  disabilityCardExpiry: string;
  rsuRegistered: boolean;
  rsuIndex: string;
  projectSector: string;
  projectDescription: string;
  projectStage: string;
  projectLegalForm: string;
  heardFrom: string;
}

const EMPTY: FormState = {
  cin: '',
  idcs: '',
  firstNameAr: '',
  lastNameAr: '',
  firstNameLat: '',
  lastNameLat: '',
  sex: 'F',
  birthDate: '',
  phone: '',
  phoneOwner: '',
  address: '',
  douar: '',
  communeCode: '',
  educationLevel: '',
  vocationalLevel: '',
  maritalStatus: '',
  isProjectHolder: false,
  isDifficultSituation: false,
  situations: [],
  hasDisability: false,
  disabilityTypes: [],
  disabilitySeverity: '',
  disabilityCardNumber: '',
  disabilityCardExpiry: '',
  rsuRegistered: false,
  rsuIndex: '',
  projectSector: '',
  projectDescription: '',
  projectStage: '',
  projectLegalForm: '',
  heardFrom: '',
};

function fromFile(f: ApplicantFile): FormState {
  return {
    cin: f.cin ?? '',
    idcs: f.idcs ?? '',
    firstNameAr: f.firstNameAr,
    lastNameAr: f.lastNameAr,
    firstNameLat: f.firstNameLat,
    lastNameLat: f.lastNameLat,
    sex: f.sex,
    birthDate: showDate(f.birthDate),
    phone: f.phone ?? '',
    phoneOwner: f.phoneOwner ?? '',
    address: f.address,
    douar: f.douar,
    communeCode: f.commune?.code ?? '',
    educationLevel: f.educationLevel?.code ?? '',
    vocationalLevel: f.vocationalLevel?.code ?? '',
    maritalStatus: f.maritalStatus?.code ?? '',
    isProjectHolder: f.isProjectHolder,
    isDifficultSituation: f.isDifficultSituation,
    situations: f.situations.map((s) => s.code),
    hasDisability: f.hasDisability ?? false,
    disabilityTypes: (f.disabilityTypes ?? []).map((d) => d.code),
    disabilitySeverity: f.disabilitySeverity ?? '',
    disabilityCardNumber: f.disabilityCardNumber ?? '',
    disabilityCardExpiry: showDate(f.disabilityCardExpiry),
    rsuRegistered: f.rsuRegistered,
    rsuIndex: f.rsuIndex === null ? '' : String(f.rsuIndex),
    projectSector: f.projectSector?.code ?? '',
    projectDescription: f.projectDescription,
    projectStage: f.projectStage?.code ?? '',
    projectLegalForm: f.projectLegalForm?.code ?? '',
    heardFrom: f.heardFrom?.code ?? '',
  };
}

const nul = (s: string) => (s.trim() === '' ? null : s);

/** The form as the contract's input (empty optional fields as null). */
function toInput(f: FormState) {
  return {
    cin: f.cin,
    idcs: nul(f.idcs),
    firstNameAr: f.firstNameAr,
    lastNameAr: f.lastNameAr,
    firstNameLat: f.firstNameLat,
    lastNameLat: f.lastNameLat,
    sex: f.sex,
    birthDate: f.birthDate,
    phone: nul(f.phone),
    phoneOwner: (nul(f.phoneOwner) as (typeof PHONE_OWNERS)[number] | null) ?? null,
    address: f.address,
    douar: f.douar,
    communeCode: f.communeCode,
    educationLevel: nul(f.educationLevel),
    vocationalLevel: nul(f.vocationalLevel),
    maritalStatus: nul(f.maritalStatus),
    isProjectHolder: f.isProjectHolder,
    isDifficultSituation: f.isDifficultSituation,
    situations: f.isDifficultSituation ? f.situations : [],
    hasDisability: f.hasDisability,
    disabilityTypes: f.hasDisability ? f.disabilityTypes : [],
    disabilitySeverity: f.hasDisability ? ((nul(f.disabilitySeverity) as (typeof DISABILITY_SEVERITIES)[number] | null) ?? null) : null,
    disabilityCardNumber: f.hasDisability ? nul(f.disabilityCardNumber) : null,
    disabilityCardExpiry: f.hasDisability ? nul(f.disabilityCardExpiry) : null,
    rsuRegistered: f.rsuRegistered,
    rsuIndex: f.rsuIndex.trim() === '' ? null : Number(f.rsuIndex),
    projectSector: nul(f.projectSector),
    projectDescription: f.projectDescription,
    projectStage: nul(f.projectStage),
    projectLegalForm: nul(f.projectLegalForm),
    heardFrom: nul(f.heardFrom),
  };
}
type Input = ReturnType<typeof toInput>;

/** The fields of the form that differ from the version it was opened on. */
function changedFields(form: FormState, base: FormState): (keyof FormState)[] {
  return (Object.keys(form) as (keyof FormState)[]).filter((k) => JSON.stringify(form[k]) !== JSON.stringify(base[k]));
}

const SENSITIVE_DISABILITY: (keyof Input)[] = ['hasDisability', 'disabilityTypes', 'disabilitySeverity', 'disabilityCardNumber', 'disabilityCardExpiry'];

/**
 * Registration (and editing) of an applicant: consent under law 09-08 first, validation at the field,
 * a live duplicate check shown side by side, and the staff's decision recorded.
 */
export function ApplicantForm({ existing }: { existing?: ApplicantFile }) {
  const { t, i18n } = useTranslation('applicants');
  const tc = useTranslation('common').t;
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const s = useAuthSession();
  const { lookups, error: lookupError } = useLookups(s.status.office?.provinceCode ?? null);
  // The version of the file this edit is based on: replaced, with the person's changes reapplied on it, after a
  // colleague saved the same file meanwhile (applicant.edit_conflict).
  const [baseFile, setBaseFile] = useState<ApplicantFile | undefined>(existing);
  const [conflict, setConflict] = useState<string | null>(null);
  const initial = useMemo(() => (baseFile ? fromFile(baseFile) : EMPTY), [baseFile]);
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hidden = new Set(existing?.hiddenFields ?? []);

  // Consent (registration only).
  const [consentText, setConsentText] = useState<ConsentText | null>(null);
  const [consent, setConsent] = useState({ given: false, channel: 'paper' as (typeof CONSENT_CHANNELS)[number], date: showDate(today()) });
  useEffect(() => {
    if (existing) return;
    api
      .call('applicants.consentText', {})
      .then(setConsentText)
      .catch((e) => setFailure(errorText(e)));
  }, [existing]);

  // Live duplicate check.
  const [dups, setDups] = useState<DuplicateCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [distinct, setDistinct] = useState<Set<string>>(new Set());
  const checkSeq = useRef(0);
  const dupKey = [form.cin, form.firstNameAr, form.lastNameAr, form.firstNameLat, form.lastNameLat, form.birthDate, form.sex].join('|');
  useEffect(() => {
    const cin = normalizeCin(form.cin);
    const hasName = (form.firstNameAr && form.lastNameAr) || (form.firstNameLat && form.lastNameLat);
    if (cin.length < 4 && !hasName) {
      setDups(null);
      return;
    }
    const seq = ++checkSeq.current;
    const timer = window.setTimeout(async () => {
      setChecking(true);
      try {
        const birth = parseDateInput(form.birthDate);
        const r = await api.call('applicants.checkDuplicates', {
          cin: cin || undefined,
          firstNameAr: form.firstNameAr || undefined,
          lastNameAr: form.lastNameAr || undefined,
          firstNameLat: form.firstNameLat || undefined,
          lastNameLat: form.lastNameLat || undefined,
          birthDate: birth ?? undefined,
          sex: form.sex,
          excludeId: existing?.id,
        });
        if (seq === checkSeq.current) setDups(r);
      } catch (e) {
        if (seq === checkSeq.current) console.error('duplicate check failed', e);
      } finally {
        if (seq === checkSeq.current) setChecking(false);
      }
    }, 350);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dupKey]);

  const candidates = (dups?.candidates ?? []).filter((c) => c.reason !== 'cin');
  // Strong candidates block saving until someone decides; weak ones are shown and do not block (shared/matching).
  const undecided = candidates.filter((c) => c.level === 'strong' && c.decision !== 'distinct' && !distinct.has(c.id));

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (errors[k]) setErrors(({ [k]: _, ...rest }) => rest);
  };
  const text = (k: keyof FormState, extra: { dir?: 'rtl' | 'ltr'; required?: boolean; description?: React.ReactNode } = {}) => ({
    label: t(`field.${k}`),
    value: form[k] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(k, e.currentTarget.value as never),
    error: errors[k],
    'data-testid': `f-${k}`,
    ...extra,
  });
  const refSelect = (k: keyof FormState, kind: RefKind) => (
    <NativeSelect
      label={t(`field.${k}`)}
      value={form[k] as string}
      onChange={(e) => set(k, e.currentTarget.value as never)}
      error={errors[k]}
      data={[{ value: '', label: t('form.choose') }, ...(lookups?.refs[kind] ?? []).map((r) => ({ value: r.code, label: label(r, lang) }))]}
      data-testid={`f-${k}`}
    />
  );

  // Live hints: normalised CIN and phone, age from the birth date.
  const cinNorm = normalizeCin(form.cin);
  const cinWarn = cinNorm.length > 0 && !cinFormatOk(cinNorm);
  const birth = parseDateInput(form.birthDate);
  const age = birth ? ageOn(birth, today()) : null;
  const phoneNorm = form.phone.trim() ? normalizePhone(form.phone) : null;
  const commune = lookups?.communeByCode.get(form.communeCode);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const fe: Record<string, string> = {};
    if (!existing && !consent.given) fe['consent.given'] = codeText('applicant.consent_required');
    if (Object.keys(fe).length) {
      setErrors(fe);
      return;
    }
    if (undecided.length) {
      setFailure(t('dup.mustDecide'));
      document.querySelector('[data-testid="dup-panel"]')?.scrollIntoView({ block: 'center' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const input = toInput(form);
      if (existing) {
        const before = toInput(initial);
        const changes: Partial<Input> = {};
        for (const k of Object.keys(input) as (keyof Input)[]) {
          if (hidden.has(k) || (hidden.has('hasDisability') && SENSITIVE_DISABILITY.includes(k))) continue;
          if (JSON.stringify(input[k]) !== JSON.stringify(before[k])) (changes as Record<string, unknown>)[k] = input[k];
        }
        const r = await api.call('applicants.update', { id: existing.id, changes, baseVersion: baseFile?.version ?? existing.version });
        if (distinct.size) {
          for (const otherId of distinct) await api.call('applicants.recordDuplicateDecision', { applicantId: existing.id, otherId, decision: 'distinct' });
        }
        setFlash(existing.id, t('form.updated'), r.warnings);
        navigate('applicants', existing.id);
      } else {
        const r = await api.call('applicants.create', {
          ...input,
          consent: { given: true, date: consent.date, textVersion: consentText?.version ?? '', channel: consent.channel },
          distinctFrom: [...distinct],
        });
        setFlash(r.id, t('form.saved', { fileNo: r.fileNo }), r.warnings);
        navigate('applicants', r.id);
      }
    } catch (err) {
      const ae = asApiError(err);
      if (ae.code === 'applicant.edit_conflict') {
        setConflict(errorText(ae));
        return;
      }
      const fe2 = fieldErrors(ae);
      if (ae.code === 'applicant.cin_taken') fe2.cin = errorText(ae);
      setErrors(fe2);
      if (ae.code === 'applicant.possible_duplicates') {
        // Someone registered a close file meanwhile: refresh the comparison.
        setForm((f) => ({ ...f }));
      }
      if (!Object.keys(fe2).length || ae.code !== 'validation.failed') setFailure(errorText(ae));
    } finally {
      setBusy(false);
    }
  };

  /** The colleague's version, with what this person changed on the version they had opened put back on top. */
  const reapply = async () => {
    if (!existing) return;
    setBusy(true);
    try {
      const fresh = await api.call('applicants.get', { id: existing.id });
      const mine = changedFields(form, initial);
      const next = fromFile(fresh);
      for (const k of mine) (next as unknown as Record<string, unknown>)[k] = form[k];
      setBaseFile(fresh);
      setForm(next);
      setConflict(null);
      setFailure(null);
      setReapplied(true);
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const [reapplied, setReapplied] = useState(false);

  const openExisting = async (c: { id: string }) => {
    try {
      await api.call('applicants.recordDuplicateDecision', { applicantId: existing?.id ?? null, otherId: c.id, decision: 'same' });
    } catch (e) {
      console.error('could not record the decision', e);
    }
    navigate('applicants', c.id);
  };

  if (lookupError) return <Alert color="red">{lookupError}</Alert>;
  if (!lookups || (!existing && !consentText && !failure)) return <Loader />;

  const consentSection = !existing && consentText && (
    <Paper withBorder p="md" data-testid="consent-section">
      <Stack gap="sm">
        <Title order={3}>{t('section.consent')}</Title>
        <Text size="sm" c="dimmed">
          {t('form.consentFirst')}
        </Text>
        <ConsentTextView text={consentText} lang={lang} maxHeight={220} testId="consent-text" />
        <Text size="xs" c="dimmed">
          {t('form.consentVersion', { version: consentText.version })}
        </Text>
        <Checkbox
          label={t('form.consentGiven')}
          checked={consent.given}
          onChange={(e) => {
            const v = e.currentTarget.checked;
            setConsent((c) => ({ ...c, given: v }));
            if (v) setErrors(({ 'consent.given': _, ...rest }) => rest);
          }}
          error={errors['consent.given']}
          data-testid="consent-given"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('form.consentChannel')}
            value={consent.channel}
            onChange={(e) => {
              const v = e.currentTarget.value as (typeof CONSENT_CHANNELS)[number];
              setConsent((c) => ({ ...c, channel: v }));
            }}
            data={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            error={errors['consent.channel']}
            data-testid="consent-channel"
          />
          <TextInput
            label={t('form.consentDate')}
            value={consent.date}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setConsent((c) => ({ ...c, date: v }));
            }}
            error={errors['consent.date']}
            dir="ltr"
            data-testid="consent-date"
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="applicant-form">
      <Stack gap="md" maw={1100}>
        {consentSection}
        <fieldset disabled={!existing && !consent.given} className="plain-fieldset">
          <Stack gap="md">
            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.identity')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                  <TextInput
                    {...text('cin', { dir: 'ltr', required: true })}
                    autoFocus={!existing}
                    onBlur={() => cinNorm && set('cin', cinNorm)}
                    description={cinNorm && cinNorm !== form.cin ? t('form.cinNormalised', { cin: cinNorm }) : undefined}
                    error={errors.cin ?? (dups?.cinTaken ? t('dup.cinTaken', { fileNo: dups.cinTaken.fileNo }) : undefined)}
                  />
                  <TextInput {...text('idcs', { dir: 'ltr' })} />
                  <div>
                    <Text size="sm" fw={500} mb={4}>
                      {t('field.sex')}
                    </Text>
                    <SegmentedControl
                      value={form.sex}
                      onChange={(v) => set('sex', v as 'F' | 'M')}
                      data={[
                        { value: 'F', label: t('sex.F') },
                        { value: 'M', label: t('sex.M') },
                      ]}
                      data-testid="f-sex"
                    />
                  </div>
                  <TextInput {...text('firstNameAr', { dir: 'rtl' })} lang="ar" />
                  <TextInput {...text('lastNameAr', { dir: 'rtl' })} lang="ar" />
                  <TextInput
                    {...text('birthDate', { required: true })}
                    placeholder="jj/mm/aaaa"
                    dir="ltr"
                    description={age !== null ? <span data-testid="age-live">{t('form.ageLive', { age })}</span> : undefined}
                  />
                  <TextInput {...text('firstNameLat', { dir: 'ltr' })} lang="fr" />
                  <TextInput {...text('lastNameLat', { dir: 'ltr' })} lang="fr" />
                </SimpleGrid>
                {cinWarn && !errors.cin && (
                  <Alert color="yellow" p="xs" data-testid="cin-warning">
                    {t('form.cinFormatWarning')}
                  </Alert>
                )}
              </Stack>
            </Paper>

            <DuplicatePanel
              form={form}
              lookups={lookups}
              dups={dups}
              checking={checking}
              candidates={candidates}
              distinct={distinct}
              onDistinct={(id, yes) =>
                setDistinct((d) => {
                  const n = new Set(d);
                  if (yes) n.add(id);
                  else n.delete(id);
                  return n;
                })
              }
              onOpen={openExisting}
            />

            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.contact')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                  <TextInput
                    {...text('phone', { dir: 'ltr' })}
                    inputMode="tel"
                    description={phoneNorm ? <span data-testid="phone-normalised">{t('form.phoneNormalised', { phone: phoneNorm })}</span> : undefined}
                  />
                  <NativeSelect
                    label={t('field.phoneOwner')}
                    value={form.phoneOwner}
                    onChange={(e) => set('phoneOwner', e.currentTarget.value)}
                    data={[{ value: '', label: t('form.choose') }, ...PHONE_OWNERS.map((o) => ({ value: o, label: t(`phoneOwner.${o}`) }))]}
                    error={errors.phoneOwner}
                    data-testid="f-phoneOwner"
                  />
                  <NativeSelect
                    label={t('field.communeCode')}
                    required
                    value={form.communeCode}
                    onChange={(e) => set('communeCode', e.currentTarget.value)}
                    error={errors.communeCode}
                    description={commune ? t(`communeType.${commune.type}`) : undefined}
                    data={[
                      { value: '', label: t('form.choose') },
                      ...lookups.communes.map((c) => ({ value: c.code, label: `${label(c, lang)} (${t(`communeType.${c.type}`)})` })),
                    ]}
                    data-testid="f-communeCode"
                  />
                  <TextInput {...text('address')} />
                  <TextInput {...text('douar')} />
                </SimpleGrid>
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.education')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  {refSelect('educationLevel', 'education')}
                  {refSelect('vocationalLevel', 'vocational')}
                  {refSelect('maritalStatus', 'marital')}
                </SimpleGrid>
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.categories')}</Title>
                <Checkbox label={t('field.isProjectHolder')} checked={form.isProjectHolder} onChange={(e) => set('isProjectHolder', e.currentTarget.checked)} data-testid="f-isProjectHolder" />
                <Checkbox label={t('field.isDifficultSituation')} checked={form.isDifficultSituation} onChange={(e) => set('isDifficultSituation', e.currentTarget.checked)} data-testid="f-isDifficultSituation" />
                {form.isDifficultSituation && (
                  <Checkbox.Group label={t('field.situations')} value={form.situations} onChange={(v) => set('situations', v)} error={errors.situations} className="indent" data-testid="f-situations">
                    <Group mt="xs">
                      {(lookups.refs.situation ?? []).map((r) => (
                        <Checkbox key={r.code} value={r.code} label={label(r, lang)} />
                      ))}
                    </Group>
                  </Checkbox.Group>
                )}
                {hidden.has('hasDisability') ? (
                  <Text size="sm" c="dimmed">
                    {t('form.hiddenSensitive')}
                  </Text>
                ) : (
                  <>
                    <Checkbox label={t('field.hasDisability')} checked={form.hasDisability} onChange={(e) => set('hasDisability', e.currentTarget.checked)} data-testid="f-hasDisability" />
                    {form.hasDisability && (
                      <Stack gap="sm" className="indent">
                        <Checkbox.Group label={t('field.disabilityTypes')} value={form.disabilityTypes} onChange={(v) => set('disabilityTypes', v)} error={errors.disabilityTypes} data-testid="f-disabilityTypes">
                          <Group mt="xs">
                            {(lookups.refs.disability_type ?? []).map((r) => (
                              <Checkbox key={r.code} value={r.code} label={label(r, lang)} />
                            ))}
                          </Group>
                        </Checkbox.Group>
                        <SimpleGrid cols={{ base: 1, sm: 3 }}>
                          <NativeSelect
                            label={t('field.disabilitySeverity')}
                            value={form.disabilitySeverity}
                            onChange={(e) => set('disabilitySeverity', e.currentTarget.value)}
                            error={errors.disabilitySeverity}
                            data={[{ value: '', label: t('form.choose') }, ...DISABILITY_SEVERITIES.map((v) => ({ value: v, label: t(`severity.${v}`) }))]}
                            data-testid="f-disabilitySeverity"
                          />
                          <TextInput {...text('disabilityCardNumber', { dir: 'ltr' })} />
                          <TextInput {...text('disabilityCardExpiry')} placeholder="jj/mm/aaaa" dir="ltr" />
                        </SimpleGrid>
                      </Stack>
                    )}
                  </>
                )}
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.rsu')}</Title>
                <Group align="flex-end">
                  <Checkbox label={t('field.rsuRegistered')} checked={form.rsuRegistered} onChange={(e) => set('rsuRegistered', e.currentTarget.checked)} data-testid="f-rsuRegistered" />
                  {form.rsuRegistered && !hidden.has('rsuIndex') && (
                    <NumberInput
                      label={t('field.rsuIndex')}
                      value={form.rsuIndex}
                      onChange={(v) => set('rsuIndex', String(v))}
                      min={0}
                      max={100}
                      decimalScale={4}
                      error={errors.rsuIndex}
                      maw={220}
                      data-testid="f-rsuIndex"
                    />
                  )}
                </Group>
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Stack gap="sm">
                <Title order={3}>{t('section.project')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  {refSelect('projectSector', 'sector')}
                  {refSelect('projectStage', 'project_stage')}
                  {refSelect('projectLegalForm', 'legal_form')}
                </SimpleGrid>
                <Textarea {...text('projectDescription')} autosize minRows={2} />
                <SimpleGrid cols={{ base: 1, sm: 3 }}>{refSelect('heardFrom', 'heard_from')}</SimpleGrid>
              </Stack>
            </Paper>
          </Stack>
        </fieldset>

        {conflict && (
          <Alert color="orange" data-testid="edit-conflict" role="alert" title={t('conflict.title')}>
            <Stack gap="xs">
              <Text size="sm">{conflict}</Text>
              <Group>
                <Button size="xs" onClick={reapply} loading={busy} data-testid="conflict-reapply">
                  {t('conflict.reapply')}
                </Button>
                <Button size="xs" variant="default" onClick={() => navigate('applicants', existing!.id)} data-testid="conflict-discard">
                  {t('conflict.discard')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {reapplied && !conflict && (
          <Alert color="blue" data-testid="conflict-reapplied">
            {t('conflict.reapplied')}
          </Alert>
        )}
        {failure && (
          <Alert color="red" data-testid="form-error" role="alert">
            {failure}
          </Alert>
        )}
        {Object.keys(errors).length > 0 && !failure && (
          <Alert color="red" data-testid="form-error" role="alert">
            {Object.entries(errors)
              .map(([k, v]) => `${t(`field.${k.split('.')[0]}`, { defaultValue: k })}: ${v}`)
              .join(' · ')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} data-testid="applicant-save">
            {existing ? t('form.saveChanges') : t('form.save')}
          </Button>
          <Button variant="default" onClick={() => (existing ? navigate('applicants', existing.id) : navigate('applicants'))}>
            {tc('cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DuplicatePanel(props: {
  form: FormState;
  lookups: Lookups;
  dups: DuplicateCheckResult | null;
  checking: boolean;
  candidates: DuplicateCandidate[];
  distinct: Set<string>;
  onDistinct: (id: string, yes: boolean) => void;
  onOpen: (c: { id: string }) => void;
}) {
  const { t, i18n } = useTranslation('applicants');
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const { dups, candidates, form } = props;
  if (!dups?.cinTaken && candidates.length === 0) {
    return props.checking ? (
      <Text size="sm" c="dimmed">
        {t('dup.checking')}
      </Text>
    ) : null;
  }
  const mine = {
    cin: normalizeCin(form.cin),
    nameAr: `${form.firstNameAr} ${form.lastNameAr}`.trim(),
    nameLat: `${form.firstNameLat} ${form.lastNameLat}`.trim(),
    birth: showDate(parseDateInput(form.birthDate)),
    phone: (form.phone && normalizePhone(form.phone)) || form.phone,
    commune: label(props.lookups.communeByCode.get(form.communeCode), lang),
  };
  return (
    <Paper withBorder p="md" className="dup-panel" data-testid="dup-panel">
      <Stack gap="sm">
        {dups?.cinTaken && (
          <Alert color="red" data-testid="dup-cin-taken">
            <Group justify="space-between">
              <span>{t('dup.cinTaken', { fileNo: dups.cinTaken.fileNo })}</span>
              <Button size="xs" variant="white" onClick={() => props.onOpen(dups.cinTaken!)} data-testid="dup-open-cin">
                {t('dup.open')}
              </Button>
            </Group>
          </Alert>
        )}
        {candidates.length > 0 && (
          <>
            <Title order={3}>{t('dup.title', { count: candidates.length })}</Title>
            <Text size="sm">{t('dup.intro')}</Text>
            <SimpleGrid cols={{ base: 1, md: Math.min(candidates.length, 2) }}>
              {candidates.map((c) => {
                const decided = c.decision === 'distinct' || props.distinct.has(c.id);
                const theirs = {
                  cin: c.cin ?? '',
                  nameAr: `${c.firstNameAr} ${c.lastNameAr}`.trim(),
                  nameLat: `${c.firstNameLat} ${c.lastNameLat}`.trim(),
                  birth: showDate(c.birthDate),
                  phone: c.phone ?? '',
                  commune: label(c.communeNameAr ? { nameAr: c.communeNameAr, nameFr: c.communeNameFr ?? '' } : null, lang),
                };
                const rows: [string, string, string][] = [
                  [t('field.cin'), mine.cin, theirs.cin],
                  [t('field.firstNameAr') + ' / ' + t('field.lastNameAr'), mine.nameAr, theirs.nameAr],
                  [t('field.firstNameLat') + ' / ' + t('field.lastNameLat'), mine.nameLat, theirs.nameLat],
                  [t('field.birthDate'), mine.birth, theirs.birth],
                  [t('field.phone'), mine.phone, theirs.phone],
                  [t('field.commune'), mine.commune, theirs.commune],
                ];
                return (
                  <Paper key={c.id} withBorder p="sm" data-testid="dup-candidate" data-level={c.level} data-decided={decided ? 'true' : 'false'}>
                    <Stack gap="xs">
                      <Group justify="space-between">
                        <Group gap="xs">
                          <Badge color="orange" variant="light">
                            {t(`dup.reason.${c.reason}`)}
                          </Badge>
                          <MatchLevelBadge level={c.level} />
                        </Group>
                        <Text size="xs" c="dimmed">
                          {t('dup.score', { score: Math.round(c.score * 100) })} · {t(`status.${c.status}`)}
                        </Text>
                      </Group>
                      <Table withColumnBorders fz="sm">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th />
                            <Table.Th>{t('dup.thisForm')}</Table.Th>
                            <Table.Th>{t('dup.existing', { fileNo: c.fileNo })}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {rows.map(([k, a, b]) => (
                            <Table.Tr key={k}>
                              <Table.Th fw={500}>{k}</Table.Th>
                              <Table.Td>
                                <bdi>{a}</bdi>
                              </Table.Td>
                              <Table.Td>
                                <bdi>{b}</bdi>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                      <MatchReasons reasons={c.reasons} level={c.level} />
                      <Group>
                        <Button size="xs" variant="light" onClick={() => props.onOpen(c)} data-testid="dup-open">
                          {t('dup.open')}
                        </Button>
                        {decided ? (
                          <>
                            <Badge color="teal">{t('dup.confirmedDistinct')}</Badge>
                            {c.decision !== 'distinct' && (
                              <Button size="xs" variant="subtle" onClick={() => props.onDistinct(c.id, false)}>
                                {t('dup.undo')}
                              </Button>
                            )}
                          </>
                        ) : (
                          <Button size="xs" variant="default" onClick={() => props.onDistinct(c.id, true)} data-testid="dup-distinct">
                            {t('dup.distinct')}
                          </Button>
                        )}
                      </Group>
                    </Stack>
                  </Paper>
                );
              })}
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}

export { displayName };
