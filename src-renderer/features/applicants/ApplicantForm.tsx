import { startTransition, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Checkbox, Group, Loader, NativeSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DISABILITY_SEVERITIES, PHONE_OWNERS, type ApplicantFile, type RefKind } from '../../../src-main/shared/api/applicants.contract';
import { cinFormatOk, normalizeCin } from '../../../src-main/shared/normalize/cin';
import { normalizePhone } from '../../../src-main/shared/normalize/phone';
import { ageOn } from '../../../src-main/shared/normalize/dates';
import { api, asApiError } from '../../api/client';
import { codeText, errorText, fieldErrors } from '../../lib/errors';
import { navigate } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { label, today, useLookups } from '../../lib/lookups';
import { setFlash } from './flash';
import { useConsentText } from './applicants.data';
import { changedFields, changesFrom, EMPTY_FORM, fromFile, toInput, type FormState } from './form/model';
import { useDuplicateCheck } from './form/useDuplicateCheck';
import { ConsentSection, initialConsent } from './form/ConsentSection';
import { DuplicatePanel } from './form/DuplicatePanel';
import { DateField } from '../../components/DateField';

/** A birth date's calendar opens on the decades, around the applicants' ages. */
const DECADE_START = '1990-01-01';

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
  const initial = useMemo(() => (baseFile ? fromFile(baseFile) : EMPTY_FORM), [baseFile]);
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hidden = new Set(existing?.hiddenFields ?? []);

  // Consent (registration only).
  const consentQuery = useConsentText(!existing);
  const consentText = existing ? null : consentQuery.data;
  const [consent, setConsent] = useState(initialConsent);
  // The consent text's failure is the form's failure until something else replaces it (as the save's errors do).
  const shownFailure = failure ?? (existing ? null : consentQuery.error);

  // Live duplicate check.
  const { dups, checking, candidates, undecided, distinct, markDistinct } = useDuplicateCheck(form, existing?.id);

  // A registration shows its consent section first (issue 15: first opening ≤ 300 ms); the sections below it — below
  // the fold at 1366×768 and disabled until consent is given — are rendered right after, in a transition that lets
  // the browser paint in between. An edit shows everything at once.
  const [below, setBelow] = useState(!!existing);
  const shown = !!lookups && (!!consentText || !!shownFailure);
  useEffect(() => {
    if (shown && !below) startTransition(() => setBelow(true));
  }, [shown, below]);

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
  const date = (k: 'birthDate' | 'disabilityCardExpiry') => ({
    label: t(`field.${k}`),
    value: form[k],
    onChange: (v: string) => set(k, v),
    error: errors[k],
    'data-testid': `f-${k}`,
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

  // The communes' options (125 in a province), made once per language, not at every keystroke.
  const communeOptions = useMemo(
    () => [{ value: '', label: t('form.choose') }, ...(lookups?.communes ?? []).map((c) => ({ value: c.code, label: `${label(c, lang)} (${t(`communeType.${c.type}`)})` }))],
    [lookups, lang, t],
  );

  // Live hints: normalised CIN and phone, age from the birth date.
  const cinNorm = normalizeCin(form.cin);
  const cinWarn = cinNorm.length > 0 && !cinFormatOk(cinNorm);
  const birth = form.birthDate || null;
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
      if (existing) {
        const changes = changesFrom(form, initial, hidden);
        // The "other person" decisions go with the edit (recorded in the same transaction; the server refuses an
        // edit while a strong candidate is undecided, as at registration).
        const r = await api.call('applicants.update', { id: existing.id, changes, baseVersion: baseFile?.version ?? existing.version, distinctFrom: [...distinct] });
        setFlash(existing.id, t('form.updated'), r.warnings);
        navigate('applicants', existing.id);
      } else {
        const r = await api.call('applicants.create', {
          ...toInput(form),
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
  if (!lookups || (!existing && !consentText && !shownFailure)) return <Loader />;

  return (
    <form onSubmit={submit} noValidate data-testid="applicant-form">
      <Stack gap="md" maw={1100}>
        {!existing && consentText && (
          <ConsentSection
            text={consentText}
            lang={lang}
            value={consent}
            onChange={setConsent}
            errors={errors}
            onGiven={() => setErrors(({ 'consent.given': _, ...rest }) => rest)}
          />
        )}
        {below && (
          <>
            <fieldset disabled={!existing && !consent.given} className="plain-fieldset">
              <Stack gap="md">
                <Paper withBorder p="md">
                  <Stack gap="sm">
                    <Title order={3}>{t('section.identity')}</Title>
                    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                      <TextInput
                        {...text('cin', { dir: 'ltr', required: true })}
                        // Only on an edit: on a registration the field is disabled until consent is given (focusing it did
                        // nothing but force the browser to lay the whole page out at once).
                        autoFocus={!!existing}
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
                      <DateField
                        {...date('birthDate')}
                        required
                        defaultLevel={form.birthDate ? 'month' : 'decade'}
                        defaultDate={form.birthDate || DECADE_START}
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
                  onDistinct={markDistinct}
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
                        data={communeOptions}
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
                              <DateField {...date('disabilityCardExpiry')} />
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
            {shownFailure && (
              <Alert color="red" data-testid="form-error" role="alert">
                {shownFailure}
              </Alert>
            )}
            {Object.keys(errors).length > 0 && !shownFailure && (
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
          </>
        )}
      </Stack>
    </form>
  );
}
