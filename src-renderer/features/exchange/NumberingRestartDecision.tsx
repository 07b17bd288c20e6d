import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FileResult, NumberingRestartDecision } from '../../../src-main/shared/api/exchange.contract';
import { numberingRestartWords } from '../../../src-main/shared/i18n/numbering-restart-words';
import { api } from '../../api/client';
import { currentLang } from '../../i18n';
import { useApiAction } from '../../lib/useApi';

/**
 * Region: a file refused because its office numbers its files again from an older point (it restored a backup older
 * than its last file sent). The coordinator reads what the region holds against what the file says, what stays and
 * what accepting means, types the reason, and accepts: the office's position goes back, its audit trail is accepted
 * too when it is broken, and the file is applied — one decision for one restore. One per office: its first such file.
 */
export function NumberingRestartDecisions(props: { results: FileResult[]; uploads: { uploadId: string; name: string }[]; onAccepted: (d: NumberingRestartDecision) => void }) {
  const first = new Map<string, FileResult>();
  for (const r of props.results) {
    if (r.status !== 'refused' || r.error?.code !== 'exchange.numbering_restarted' || !r.office) continue;
    const seen = first.get(r.office);
    if (!seen || (r.fileSeq ?? 0) < (seen.fileSeq ?? 0)) first.set(r.office, r);
  }
  if (!first.size) return null;
  return (
    <>
      {[...first.values()].map((r) => {
        const up = props.uploads.find((u) => u.name === r.file);
        return up ? <OneDecision key={up.uploadId} uploadId={up.uploadId} onAccepted={props.onAccepted} /> : null;
      })}
    </>
  );
}

function OneDecision(props: { uploadId: string; onAccepted: (d: NumberingRestartDecision) => void }) {
  const { t } = useTranslation('exchange');
  const lang = currentLang();
  const [seen, setSeen] = useState<NumberingRestartDecision | null>(null);
  const [reason, setReason] = useState('');
  const { busy, error, run: act } = useApiAction();
  const look = () => act(async () => setSeen(await api.call('exchange.numberingRestart', { refusedFile: { uploadId: props.uploadId } })));
  const accept = () =>
    act(async () => {
      props.onAccepted(await api.call('exchange.acceptNumberingRestart', { refusedFile: { uploadId: props.uploadId }, reason }));
    });
  if (!seen) {
    return (
      <Group>
        <Button size="xs" variant="light" color="orange" onClick={() => void look()} loading={busy} data-testid="numbering-restart-open">
          {t('numberingRestart.open')}
        </Button>
        {error && <Text c="red">{error}</Text>}
      </Group>
    );
  }
  const w = numberingRestartWords(seen, lang);
  return (
    <Paper withBorder p="md" data-testid="numbering-restart-decision">
      <Stack gap="xs">
        <Title order={5}>{t('numberingRestart.title')}</Title>
        <Text data-testid="numbering-restart-held">{w.held}</Text>
        {w.found && <Text data-testid="numbering-restart-found">{w.found}</Text>}
        {w.kept && <Text data-testid="numbering-restart-kept">{w.kept}</Text>}
        {w.chain && (
          <>
            <Text fw={600}>{t('numberingRestart.chainTitle')}</Text>
            <Text>{w.chain.seen}</Text>
            <Text>{w.chain.found}</Text>
          </>
        )}
        {w.meaning && (
          <Alert color="orange" data-testid="numbering-restart-meaning">
            {w.meaning}
          </Alert>
        )}
        {!seen.alreadyDone && (
          <Textarea label={t('numberingRestart.reason')} description={t('numberingRestart.reasonHint')} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="numbering-restart-reason" />
        )}
        {error && (
          <Alert color="red" data-testid="numbering-restart-error">
            {error}
          </Alert>
        )}
        <Group>
          {!seen.alreadyDone && (
            <Button color="orange" onClick={() => void accept()} loading={busy} disabled={reason.trim().length < 10} data-testid="numbering-restart-accept">
              {t(seen.auditChain ? 'numberingRestart.acceptWithChain' : 'numberingRestart.accept')}
            </Button>
          )}
          <Button variant="default" onClick={() => setSeen(null)}>
            {t('region.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
