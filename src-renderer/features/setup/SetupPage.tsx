import { useState } from 'react';
import { Alert, Button, Divider, NativeSelect, Paper, PasswordInput, Radio, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { OFFICES, PROVINCE_NAMES, defaultOfficeSettings, type OfficeSlug } from '../../../src-main/shared/offices';
import { api } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { systemContract } from '../../../src-main/shared/api/system.contract';
import { issueMessage } from '../../../src-main/shared/i18n/translate-error';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import type { Lang } from '../../i18n';
import { RecoverySheetStep, RestoreWithRecovery } from '../../components/RecoveryPanels';
import { ConnectMainPc } from '../../components/ConnectMainPc';

type Settings = ReturnType<typeof defaultOfficeSettings>;
const prefill = (slug: OfficeSlug): Settings => defaultOfficeSettings(slug, PROVINCE_NAMES[slug].ar, PROVINCE_NAMES[slug].fr);

/**
 * First run. Two ways to install (issue 17): "this PC holds the office's data" — the office this installation
 * serves, its names and signatory, the first administrator — or "connect to the office's main PC" (pairing).
 */
export function SetupPage(props: { lang: Lang; onLang: (l: Lang) => void; onDone: () => void; notice?: string }) {
  const tn = useTranslation('network').t;
  const [way, setWay] = useState<'holds' | 'connect'>('holds');
  // Once the office is set up: the recovery sheet step (the administrator is logged in for it), then the app.
  const [sheetStep, setSheetStep] = useState(false);
  if (sheetStep) {
    return (
      <div className="auth-page">
        <div className="auth-lang">
          <LanguageSwitch value={props.lang} onChange={props.onLang} />
        </div>
        <Paper withBorder shadow="sm" p="xl" className="setup-card">
          <RecoverySheetStep onDone={props.onDone} />
        </Paper>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageSwitch value={props.lang} onChange={props.onLang} />
      </div>
      <Paper withBorder shadow="sm" p="xl" className="setup-card">
        <Stack>
          {props.notice && (
            <Alert color="orange" data-testid="setup-notice">
              {props.notice}
            </Alert>
          )}
          <Radio.Group label={tn('choice.label')} value={way} onChange={(v) => setWay(v as 'holds' | 'connect')} data-testid="setup-way">
            <Stack gap="sm" mt="xs">
              <Radio value="holds" label={tn('choice.holds')} description={tn('choice.holdsHelp')} data-testid="setup-way-holds" />
              <Radio value="connect" label={tn('choice.connect')} description={tn('choice.connectHelp')} data-testid="setup-way-connect" />
            </Stack>
          </Radio.Group>
          <Divider />
          {way === 'connect' ? <ConnectMainPc onPaired={props.onDone} /> : <OfficeSetup lang={props.lang} onSetUp={() => setSheetStep(true)} onDone={props.onDone} />}
        </Stack>
      </Paper>
    </div>
  );
}

/** "This PC holds the office's data": the office, its names and signatory, the first administrator. */
function OfficeSetup(props: { lang: Lang; onSetUp: () => void; onDone: () => void }) {
  const { t } = useTranslation('auth');
  const tc = useTranslation('common').t;
  const tSettings = useTranslation('settings').t;
  const [office, setOffice] = useState<OfficeSlug>('errachidia');
  const [settings, setSettings] = useState<Settings>(() => prefill('errachidia'));
  const [admin, setAdmin] = useState({ username: '', displayName: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const chooseOffice = (slug: OfficeSlug) => {
    setOffice(slug);
    setSettings((s) => ({ ...prefill(slug), addressAr: s.addressAr, addressFr: s.addressFr }));
  };
  const setField = (k: keyof Settings) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = e.currentTarget.value;
    setSettings((s) => ({ ...s, [k]: v }));
  };
  const setAdminField = (k: keyof typeof admin) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = e.currentTarget.value;
    setAdmin((a) => ({ ...a, [k]: v }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    // Every mistake at once, checked with the same rules the backend applies (issue 15: not in two rounds).
    const input = { office, settings, admin: { username: admin.username, displayName: admin.displayName, password: admin.password } };
    const local: Record<string, string> = {};
    const parsed = systemContract['system.setup'].input.safeParse(input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const path = i.path.join('.');
        const value = i.path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k as string], input);
        if (!(path in local)) local[path] = issueMessage({ path, code: i.code, message: i.message, empty: typeof value === 'string' && !value.trim() }, props.lang);
      }
    }
    if (admin.password !== admin.confirm) local['admin.confirm'] = tc('errors.ui.passwords_differ');
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.call('system.setup', input);
      // The administrator just chose this password: logged in, the recovery sheet is hers to print now.
      const login = await api.call('auth.login', { username: admin.username, password: admin.password });
      api.setSession(login.token);
      props.onSetUp();
    } catch (err) {
      const fe = fieldErrors(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const err = (path: string) => errors[path];
  return (
    <>
        <form onSubmit={submit} noValidate data-testid="setup-form">
          <Stack>
            <Title order={1} size="h2">
              {t('setup.title')}
            </Title>
            <Text c="dimmed">{t('setup.intro')}</Text>
            <Divider label={t('setup.officeSection')} labelPosition="left" />
            <NativeSelect
              label={t('setup.office')}
              value={office}
              onChange={(e) => chooseOffice(e.currentTarget.value as OfficeSlug)}
              data={OFFICES.map((o) => ({ value: o.slug, label: t(`setup.offices.${o.slug}`) }))}
              data-testid="setup-office"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={tSettings('office.nameAr')} dir="rtl" lang="ar" value={settings.nameAr} onChange={setField('nameAr')} error={err('settings.nameAr')} required data-testid="setup-nameAr" />
              <TextInput label={tSettings('office.nameFr')} dir="ltr" lang="fr" value={settings.nameFr} onChange={setField('nameFr')} error={err('settings.nameFr')} required data-testid="setup-nameFr" />
              <TextInput label={tSettings('office.addressAr')} dir="rtl" lang="ar" value={settings.addressAr} onChange={setField('addressAr')} error={err('settings.addressAr')} data-testid="setup-addressAr" />
              <TextInput label={tSettings('office.addressFr')} dir="ltr" lang="fr" value={settings.addressFr} onChange={setField('addressFr')} error={err('settings.addressFr')} data-testid="setup-addressFr" />
              <TextInput label={tSettings('office.signatoryTitleAr')} description={tSettings('office.signatoryHint')} dir="rtl" lang="ar" value={settings.signatoryTitleAr} onChange={setField('signatoryTitleAr')} error={err('settings.signatoryTitleAr')} required data-testid="setup-signatoryAr" />
              <TextInput label={tSettings('office.signatoryTitleFr')} description={tSettings('office.signatoryHint')} dir="ltr" lang="fr" value={settings.signatoryTitleFr} onChange={setField('signatoryTitleFr')} error={err('settings.signatoryTitleFr')} required data-testid="setup-signatoryFr" />
            </SimpleGrid>
            <Divider label={t('setup.adminSection')} labelPosition="left" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('setup.username')} description={t('setup.usernameHint')} dir="ltr" autoComplete="username" value={admin.username} onChange={setAdminField('username')} error={err('admin.username')} required data-testid="setup-username" />
              <TextInput label={t('setup.displayName')} value={admin.displayName} onChange={setAdminField('displayName')} error={err('admin.displayName')} required data-testid="setup-displayName" />
              <PasswordInput label={t('setup.password')} description={t('setup.policy')} autoComplete="new-password" value={admin.password} onChange={setAdminField('password')} error={err('admin.password')} required data-testid="setup-password" />
              <PasswordInput label={t('setup.passwordConfirm')} autoComplete="new-password" value={admin.confirm} onChange={setAdminField('confirm')} error={err('admin.confirm')} required data-testid="setup-confirm" />
            </SimpleGrid>
            {failure && (
              <Alert color="red" data-testid="setup-error">
                {failure}
              </Alert>
            )}
            <Button type="submit" loading={busy} data-testid="setup-submit">
              {t('setup.submit')}
            </Button>
          </Stack>
        </form>
        <Stack mt="md">
          <RestoreWithRecovery onDone={props.onDone} />
        </Stack>
    </>
  );
}
