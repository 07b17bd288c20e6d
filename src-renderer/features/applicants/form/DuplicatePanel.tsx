import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DuplicateCandidate, DuplicateCheckResult } from '../../../../src-main/shared/api/applicants.contract';
import { normalizeCin } from '../../../../src-main/shared/normalize/cin';
import { normalizePhone } from '../../../../src-main/shared/normalize/phone';
import { parseDateInput } from '../../../../src-main/shared/normalize/dates';
import { label, showDate, type Lookups } from '../../../lib/lookups';
import { MatchLevelBadge, MatchReasons } from '../../../components/matching/MatchReasons';
import type { FormState } from './model';

/**
 * The likely duplicates beside the form: for each, this form and the existing file side by side, the matching
 * engine's level and reasons, "open the existing file" and "another person" (undoable until saved).
 */
export function DuplicatePanel(props: {
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
