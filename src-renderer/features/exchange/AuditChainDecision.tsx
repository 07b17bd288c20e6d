import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditChainDecision, FileResult } from '../../../src-main/shared/api/exchange.contract';
import { auditChainDecisionWords } from '../../../src-main/shared/i18n/audit-chain-words';
import { api } from '../../api/client';
import { currentLang } from '../../i18n';
import { useApiAction } from '../../lib/useApi';

/**
 * Region (issue 16): a file refused because the office's audit trail no longer extends what the region holds.
 * The coordinator reads what was seen and what accepting means, types the reason, and accepts the office's new trail.
 */
export function AuditChainDecisions(props: { results: FileResult[]; uploads: { uploadId: string; name: string }[]; onAccepted: () => void }) {
  const refused = props.results.filter((r) => r.status === 'refused' && r.error?.code === 'exchange.audit_not_extended');
  if (!refused.length) return null;
  return (
    <>
      {refused.map((r) => {
        const up = props.uploads.find((u) => u.name === r.file);
        return up ? <OneDecision key={up.uploadId} uploadId={up.uploadId} onAccepted={props.onAccepted} /> : null;
      })}
    </>
  );
}

function OneDecision(props: { uploadId: string; onAccepted: () => void }) {
  const { t } = useTranslation('exchange');
  const lang = currentLang();
  const [seen, setSeen] = useState<AuditChainDecision | null>(null);
  const [reason, setReason] = useState('');
  const { busy, error, run: act } = useApiAction();
  const look = () => act(async () => setSeen(await api.call('exchange.auditChainBreak', { refusedFile: { uploadId: props.uploadId } })));
  const accept = () =>
    act(async () => {
      await api.call('exchange.acceptAuditChain', { refusedFile: { uploadId: props.uploadId }, reason });
      props.onAccepted();
    });
  if (!seen) {
    return (
      <Group>
        <Button size="xs" variant="light" color="orange" onClick={() => void look()} loading={busy} data-testid="audit-chain-open">
          {t('auditChain.open')}
        </Button>
        {error && <Text c="red">{error}</Text>}
      </Group>
    );
  }
  const w = auditChainDecisionWords(seen, lang);
  return (
    <Paper withBorder p="md" data-testid="audit-chain-decision">
      <Stack gap="xs">
        <Title order={5}>{t('auditChain.title')}</Title>
        <Text data-testid="audit-chain-seen">{w.seen}</Text>
        <Text data-testid="audit-chain-found">{w.found}</Text>
        <Alert color="orange" data-testid="audit-chain-meaning">
          {w.meaning}
        </Alert>
        <Textarea label={t('auditChain.reason')} description={t('auditChain.reasonHint')} autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="audit-chain-reason" />
        {error && (
          <Alert color="red" data-testid="audit-chain-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button color="orange" onClick={() => void accept()} loading={busy} disabled={reason.trim().length < 10} data-testid="audit-chain-accept">
            {t('auditChain.accept')}
          </Button>
          <Button variant="default" onClick={() => setSeen(null)}>
            {t('region.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
