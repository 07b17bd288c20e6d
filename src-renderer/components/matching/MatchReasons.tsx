/**
 * A candidate's evidence in words (shared/matching reasons): one line per reason, names as written on each side
 * (each isolated with <bdi>, so an Arabic and a Latin spelling sit side by side in either direction), dates as
 * dd/mm/yyyy. Used by the registration form's duplicate panel, the Excel import check and the region's review.
 */
import { Badge, List, Text } from '@mantine/core';
import { Trans, useTranslation } from 'react-i18next';
import type { MatchLevel, MatchReason } from '../../../src-main/shared/matching';

const DATE_REASONS = new Set(['birth_same', 'birth_one_day', 'birth_swapped', 'birth_same_year', 'birth_year_apart']);

function showDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function MatchLevelBadge({ level }: { level: MatchLevel }) {
  const { t } = useTranslation('matching');
  return (
    <Badge color={level === 'strong' ? 'red' : 'gray'} variant="light" data-testid="match-level" data-level={level}>
      {t(`levelShort.${level}`)}
    </Badge>
  );
}

export function MatchReasons({ reasons, level }: { reasons: MatchReason[]; level?: MatchLevel }) {
  const { t } = useTranslation('matching');
  return (
    <div data-testid="match-reasons">
      {level && (
        <Text size="sm" fw={500} c={level === 'strong' ? 'red.8' : 'dimmed'} mb={4}>
          {t(`level.${level}`)}
        </Text>
      )}
      <List size="sm" spacing={2}>
        {reasons.map((r, i) => {
          const values: Record<string, string> = {};
          if ('a' in r) values.a = DATE_REASONS.has(r.code) ? showDay(r.a) : r.a;
          if ('b' in r) values.b = DATE_REASONS.has(r.code) ? showDay(r.b) : r.b;
          return (
            <List.Item key={i} data-testid="match-reason" data-code={r.code}>
              <Trans
                t={t}
                i18nKey={`reason.${r.code}`}
                values={values}
                components={{ bdi: <bdi /> }}
                shouldUnescape
              />
            </List.Item>
          );
        })}
      </List>
    </div>
  );
}
