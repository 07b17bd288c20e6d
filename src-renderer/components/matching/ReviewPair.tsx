/**
 * The region's cross-province review (issue 13): the two files side by side — file numbers, names in both scripts,
 * birth date, CIN, phone, commune, province — with the matching engine's reasons in words.
 */
import { Badge, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReviewItem, ReviewSide } from '../../../src-main/shared/api/exchange.contract';
import { OFFICES, PROVINCE_NAMES } from '../../../src-main/shared/offices';
import type { MatchLevel } from '../../../src-main/shared/matching';
import { MatchReasons } from './MatchReasons';

const day = (iso: string | null | undefined) => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
};

/** Strong ("probably her") or weak ("maybe her": shown for a look, as the registration form shows it). */
export function ReviewLevel({ level }: { level: MatchLevel }) {
  const { t } = useTranslation('matching');
  return (
    <Badge display="block" mt={4} w="fit-content" color={level === 'strong' ? 'red' : 'gray'} variant="light" data-testid="review-level" data-level={level}>
      {t(`review.level.${level}`)}
    </Badge>
  );
}

export function ReviewPair({ item }: { item: ReviewItem }) {
  const { t, i18n } = useTranslation('matching');
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const province = (s: ReviewSide | null) => {
    const slug = OFFICES.find((o) => o.provinceCode === s?.provinceCode)?.slug ?? s?.office;
    return slug ? (PROVINCE_NAMES[slug]?.[lang] ?? '') : '';
  };
  const rows: [string, (s: ReviewSide | null) => string][] = [
    [t('review.fileNo'), (s) => s?.fileNo ?? ''],
    [t('review.nameAr'), (s) => s?.nameAr ?? ''],
    [t('review.nameLat'), (s) => s?.nameLat ?? ''],
    [t('review.birthDate'), (s) => day(s?.birthDate)],
    [t('review.cin'), (s) => s?.cin ?? ''],
    [t('review.phone'), (s) => s?.phone ?? ''],
    [t('review.commune'), (s) => (lang === 'fr' ? s?.communeNameFr : s?.communeNameAr) ?? ''],
    [t('review.province'), province],
  ];
  return (
    <div data-testid="review-pair">
      <Table withColumnBorders fz="sm" mb="xs">
        <Table.Tbody>
          {rows.map(([k, f]) => (
            <Table.Tr key={k}>
              <Table.Th fw={500} w={170}>
                {k}
              </Table.Th>
              <Table.Td data-testid="review-a">
                <bdi>{f(item.a)}</bdi>
              </Table.Td>
              <Table.Td data-testid="review-b">
                <bdi>{f(item.b)}</bdi>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {item.match && <MatchReasons reasons={item.match.reasons} />}
    </div>
  );
}
