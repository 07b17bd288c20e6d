/**
 * The Excel import check's matching part (issue 13): the lines counted apart (blank, totals, repeated headers), the
 * rows that look like people already registered — the row and each file side by side with the reasons in words and a
 * decision per row (import as new / attach to the existing file) —, the pairs of rows of the same list that may be one
 * person (a decision per pair: same / different; undecided, both are imported), and the confirmation of communes recognised
 * approximately. Decisions go to the dry run again, so that what is shown is what the import will do.
 */
import { Badge, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportSummary } from '../../../src-main/shared/api/reports.contract';
import { MatchLevelBadge, MatchReasons } from '../../components/matching/MatchReasons';

export type RowDecisions = Record<string, 'new' | 'attach'>;
/** Per pair of rows of the list ("40:12": row 40, earlier row 12): the same person or two people. */
export type RowPairs = Record<string, 'same' | 'different'>;
export const pairKey = (rowNo: number, otherRow: number) => `${rowNo}:${otherRow}`;

const day = (iso: string | null) => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
};
const both = (p: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string }) =>
  [`${p.firstNameAr} ${p.lastNameAr}`.trim(), `${p.firstNameLat} ${p.lastNameLat}`.trim()].filter(Boolean);

export function ImportSkipped({ summary }: { summary: ImportSummary }) {
  const { t, i18n } = useTranslation('matching');
  if (!summary.skipped?.length) return null;
  const list = summary.skipped.map((s) => t('import.skippedItem', { reason: t(`import.skippedReason.${s.reason}`), row: s.rowNo })).join(i18n.language === 'fr' ? ', ' : '، ');
  return (
    <Text size="sm" c="dimmed" data-testid="import-skipped">
      {t('import.skipped', { list })}
    </Text>
  );
}

type Candidate = ImportSummary['candidates'][number];
type Match = Candidate['matches'][number];

/** The row and the other side (a registry file or another row of the list) side by side, with the reasons. */
function SideBySide(props: { r: Candidate; m: Match; otherTitle: string; showLevel: boolean }) {
  const { t } = useTranslation('matching');
  const { r, m } = props;
  const data: [string, string[], string[]][] = [
    [t('import.fields.names'), both(r.row), both(m)],
    [t('import.fields.birthDate'), [day(r.row.birthDate)], [day(m.birthDate)]],
    [t('import.fields.cin'), [r.row.cin], [m.cin ?? '']],
  ];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Table withColumnBorders fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>{t('import.thisRow', { row: r.rowNo })}</Table.Th>
            <Table.Th>
              <bdi>{props.otherTitle}</bdi>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.map(([k, a, b]) => (
            <Table.Tr key={k}>
              <Table.Th fw={500}>{k}</Table.Th>
              <Table.Td>
                {a.map((x, i) => (
                  <div key={i}>
                    <bdi>{x}</bdi>
                  </div>
                ))}
              </Table.Td>
              <Table.Td>
                {b.map((x, i) => (
                  <div key={i}>
                    <bdi>{x}</bdi>
                  </div>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <MatchReasons reasons={m.reasons} level={props.showLevel ? m.level : undefined} />
    </SimpleGrid>
  );
}

/**
 * Per row: the registry file it looks like (a decision per row: import as new / attach), and the earlier rows of
 * the same list that may be the same person (a decision per pair: same / different; undecided, both are imported).
 */
export function ImportCandidates(props: {
  summary: ImportSummary;
  decisions: RowDecisions;
  pairs: RowPairs;
  onDecide?: (rowNo: number, d: 'new' | 'attach' | null) => void;
  onDecidePair?: (rowNo: number, otherRow: number, d: 'same' | 'different' | null) => void;
  done?: boolean;
}) {
  const { t } = useTranslation('matching');
  const rows = props.summary.candidates ?? [];
  if (!rows.length) return null;
  const deciding = !props.done;
  return (
    <Stack gap="xs" data-testid="import-candidates">
      <Title order={5}>{t('import.candidatesTitle', { count: rows.length })}</Title>
      {deciding && (
        <Text size="sm" c="dimmed">
          {t('import.candidatesHint')}
        </Text>
      )}
      {rows.slice(0, 50).map((r) => {
        const files = r.matches.filter((m) => m.fileNo !== null);
        const inList = r.matches.filter((m) => m.otherRow !== null);
        const top = r.matches[0];
        return (
          <Paper key={r.rowNo} withBorder p="sm" data-testid="import-candidate" data-row={r.rowNo} data-outcome={r.outcome}>
            <Stack gap={6}>
              <Group justify="space-between">
                <Group gap="xs">
                  <MatchLevelBadge level={top.level} />
                  <Badge variant="light" color={r.outcome === 'stopped' ? 'orange' : 'teal'} data-testid="import-candidate-outcome">
                    {t(`import.${props.done ? 'outcomeDone' : 'outcome'}.${r.outcome}`)}
                  </Badge>
                </Group>
                {deciding && props.onDecide && files.length > 0 && (
                  <NativeSelect
                    size="xs"
                    w={260}
                    aria-label={t('import.thisRow', { row: r.rowNo })}
                    value={props.decisions[String(r.rowNo)] ?? ''}
                    onChange={(e) => props.onDecide!(r.rowNo, (e.currentTarget.value || null) as 'new' | 'attach' | null)}
                    data={[
                      { value: '', label: t('import.decision.none') },
                      { value: 'new', label: t('import.decision.new') },
                      { value: 'attach', label: t('import.decision.attach') },
                    ]}
                    data-testid="import-decision"
                  />
                )}
              </Group>
              {files.length > 0 && <SideBySide r={r} m={files[0]} otherTitle={t('import.file', { fileNo: files[0].fileNo })} showLevel />}
              {inList.map((m) => {
                const other = m.otherRow!;
                return (
                  <Stack key={other} gap={6} data-testid="import-pair" data-other-row={other} data-decision={m.pairDecision ?? ''}>
                    <Group justify="space-between">
                      <Text size="sm" fw={600}>
                        {t('import.pairTitle', { other, row: r.rowNo })}
                      </Text>
                      {deciding && props.onDecidePair ? (
                        <NativeSelect
                          size="xs"
                          w={390}
                          aria-label={t('import.pairTitle', { other, row: r.rowNo })}
                          value={props.pairs[pairKey(r.rowNo, other)] ?? ''}
                          onChange={(e) => props.onDecidePair!(r.rowNo, other, (e.currentTarget.value || null) as 'same' | 'different' | null)}
                          data={[
                            { value: '', label: t('import.pairDecision.none') },
                            { value: 'same', label: t('import.pairDecision.same', { row: r.rowNo }) },
                            { value: 'different', label: t('import.pairDecision.different') },
                          ]}
                          data-testid="import-pair-decision"
                        />
                      ) : (
                        m.pairDecision && (
                          <Text size="sm" c="dimmed" data-testid="import-pair-decided">
                            {t(`import.pairDecided.${m.pairDecision}`, { row: r.rowNo, other })}
                          </Text>
                        )
                      )}
                    </Group>
                    <SideBySide r={r} m={m} otherTitle={t('import.thisRow', { row: other })} showLevel={false} />
                  </Stack>
                );
              })}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}

export function ConfirmCommunes(props: { checked: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation('matching');
  return (
    <Checkbox
      label={t('import.confirmCommunes')}
      checked={props.checked}
      onChange={(e) => props.onChange(e.currentTarget.checked)}
      data-testid="import-confirm-communes"
    />
  );
}
