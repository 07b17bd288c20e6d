import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { APPLICANT_STATUSES, SEARCH_SORTS, type ApplicantListItem, type ApplicantStatus } from '../../../src-main/shared/api/applicants.contract';
import type { Province } from '../../../src-main/shared/api/system.contract';
import { useLiveChanges } from '../../lib/live';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { seesSensitive } from '../../../src-main/shared/roles';
import { href, navigate } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { displayName, label, showDate, useLookups } from '../../lib/lookups';
import { prefetchRegistration, useProvinces } from './applicants.data';
import { DateField } from '../../components/DateField';

const PAGE = 200;
const ROW_HEIGHT = 44;
const AGE_BANDS: Record<string, [number | undefined, number | undefined]> = {
  '-24': [undefined, 24],
  '25-34': [25, 34],
  '35-44': [35, 44],
  '45-': [45, undefined],
};

interface Filters {
  provinceCode: string;
  communeCode: string;
  category: string;
  status: string;
  ageBand: string;
  disability: string;
  registeredFrom: string;
  registeredTo: string;
}
const NO_FILTERS: Filters = { provinceCode: '', communeCode: '', category: '', status: '', ageBand: '', disability: '', registeredFrom: '', registeredTo: '' };

/** Remembered while the app is open, so coming back from a file finds the same list. */
let remembered: { q: string; filters: Filters; sort: (typeof SEARCH_SORTS)[number]; dir: 'asc' | 'desc' } = { q: '', filters: NO_FILTERS, sort: 'relevance', dir: 'asc' };

/**
 * The registry: search as you type (CIN, phone, file number, name in either script), filters and
 * sorting; a virtualised list that pages through the API, so 100,000 files scroll smoothly.
 */
export function ApplicantList() {
  const { t, i18n } = useTranslation('applicants');
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const s = useAuthSession();
  const { lookups } = useLookups(s.status.office?.provinceCode ?? null);
  // A region sees the five provinces: the province is a filter of its search (and of the exported list).
  const isRegion = s.status.office?.kind === 'region';
  const provinces: Province[] = useProvinces(isRegion).data ?? [];
  // What the registration form waits on, asked once the list's own first call has gone (its effect runs first).
  const canRegister = can(s.user.role, 'applicants.create');
  const provinceCode = s.status.office?.provinceCode ?? null;
  useEffect(() => {
    if (canRegister) prefetchRegistration(provinceCode);
  }, [canRegister, provinceCode]);
  const [exporting, setExporting] = useState<{ busy: boolean; msg: string | null; error: boolean }>({ busy: false, msg: null, error: false });
  const [q, setQ] = useState(remembered.q);
  const [filters, setFilters] = useState<Filters>(remembered.filters);
  const [sort, setSort] = useState(remembered.sort);
  const [dir, setDir] = useState(remembered.dir);
  const [dq] = useDebouncedValue(q, 150);
  remembered = { q, filters, sort, dir };

  const query = useMemo(() => {
    const f: Record<string, unknown> = {};
    if (filters.provinceCode) f.provinceCode = filters.provinceCode;
    if (filters.communeCode) f.communeCode = filters.communeCode;
    if (filters.category) f.category = filters.category;
    if (filters.status) f.status = [filters.status as ApplicantStatus];
    const band = AGE_BANDS[filters.ageBand];
    if (band?.[0] !== undefined) f.ageMin = band[0];
    if (band?.[1] !== undefined) f.ageMax = band[1];
    if (filters.disability) f.hasDisability = filters.disability === 'yes';
    if (filters.registeredFrom) f.registeredFrom = filters.registeredFrom;
    if (filters.registeredTo) f.registeredTo = filters.registeredTo;
    return { q: dq.trim(), filters: f, sort, dir };
  }, [dq, filters, sort, dir]);

  const [total, setTotal] = useState<number | null>(null);

  const setFilter = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const v = e.currentTarget.value;
    // A commune of another province would leave the list empty: choosing a province clears it.
    setFilters((f) => ({ ...f, [k]: v, ...(k === 'provinceCode' && v && !f.communeCode.startsWith(`${v}.`) ? { communeCode: '' } : {}) }));
  };
  const exportList = async () => {
    setExporting({ busy: true, msg: null, error: false });
    try {
      const r = await api.call('reports.list', { q: query.q, filters: query.filters as never, lang });
      await api.saveFile(r.fileId, r.name);
      setExporting({ busy: false, msg: t('list.exported', { count: r.rows }), error: false });
    } catch (e) {
      setExporting({ busy: false, msg: errorText(e), error: true });
    }
  };
  const communes = (lookups?.communes ?? []).filter((c) => !filters.provinceCode || c.provinceCode === filters.provinceCode);
  const all = { value: '', label: t('list.all') };
  const hasFilters = Object.values(filters).some(Boolean);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <Group gap="xs">
          {can(s.user.role, 'imports.preview') && (
            <Button component="a" variant="default" href={href('applicants', 'import')} data-testid="applicant-import">
              {t('importFromExcel')}
            </Button>
          )}
          {can(s.user.role, 'applicants.create') && (
            <Button component="a" href={href('applicants', 'new')} data-testid="applicant-new">
              {t('newApplicant')}
            </Button>
          )}
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <TextInput
            label={t('list.search')}
            placeholder={t('list.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            autoFocus
            type="search"
            data-testid="applicant-search"
          />
          <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="xs">
            {isRegion && (
              <NativeSelect label={t('list.province')} value={filters.provinceCode} onChange={setFilter('provinceCode')} data={[all, ...provinces.map((p) => ({ value: p.code, label: label(p, lang) }))]} data-testid="filter-province" />
            )}
            <NativeSelect label={t('field.commune')} value={filters.communeCode} onChange={setFilter('communeCode')} data={[all, ...communes.map((c) => ({ value: c.code, label: label(c, lang) }))]} data-testid="filter-commune" />
            <NativeSelect
              label={t('list.category')}
              value={filters.category}
              onChange={setFilter('category')}
              data={[all, ...(['project_holder', 'difficult_situation', ...(seesSensitive(s.user.role) ? (['disability'] as const) : [])] as const).map((c) => ({ value: c, label: t(`list.categories.${c}`) }))]}
              data-testid="filter-category"
            />
            <NativeSelect label={t('field.status')} value={filters.status} onChange={setFilter('status')} data={[all, ...APPLICANT_STATUSES.map((st) => ({ value: st, label: t(`status.${st}`) }))]} data-testid="filter-status" />
            <NativeSelect
              label={t('list.ageBand')}
              value={filters.ageBand}
              onChange={setFilter('ageBand')}
              data={[all, ...Object.keys(AGE_BANDS).map((b) => ({ value: b, label: b.startsWith('-') ? `≤ ${b.slice(1)}` : b.endsWith('-') ? `≥ ${b.slice(0, -1)}` : b }))]}
              data-testid="filter-age"
            />
            {seesSensitive(s.user.role) && (
              <NativeSelect
                label={t('list.disability')}
                value={filters.disability}
                onChange={setFilter('disability')}
                data={[all, { value: 'yes', label: t('list.withDisability') }, { value: 'no', label: t('list.withoutDisability') }]}
                data-testid="filter-disability"
              />
            )}
            <DateField label={t('list.registeredFrom')} value={filters.registeredFrom} onChange={(v) => setFilters((f) => ({ ...f, registeredFrom: v }))} data-testid="filter-from" />
            <DateField label={t('list.registeredTo')} value={filters.registeredTo} onChange={(v) => setFilters((f) => ({ ...f, registeredTo: v }))} data-testid="filter-to" />

          </SimpleGrid>
          <Group justify="space-between" align="flex-end">
            <Text size="sm" c="dimmed" data-testid="applicant-total">
              {total === null ? '…' : t('list.results', { count: total })}
            </Text>
            <Group gap="xs" align="flex-end">
              {can(s.user.role, 'reports.list') && (
                <Button size="xs" variant="default" loading={exporting.busy} onClick={() => void exportList()} data-testid="applicant-export">
                  {t('list.exportXlsx')}
                </Button>
              )}
              {hasFilters && (
                <Button size="compact-xs" variant="subtle" onClick={() => setFilters(NO_FILTERS)}>
                  {t('list.clear')}
                </Button>
              )}
            <Group gap={4} align="flex-end" wrap="nowrap">
                <NativeSelect label={t('list.sort')} size="xs" value={sort} onChange={(e) => setSort(e.currentTarget.value as typeof sort)} data={SEARCH_SORTS.map((x) => ({ value: x, label: t(`list.sorts.${x}`) }))} data-testid="sort" />
                <Button variant="default" size="xs" px={8} onClick={() => setDir((d) => (d === 'asc' ? 'desc' : 'asc'))} aria-label={dir === 'asc' ? t('list.asc') : t('list.desc')} title={dir === 'asc' ? t('list.asc') : t('list.desc')} data-testid="sort-dir">
                  {dir === 'asc' ? '↑' : '↓'}
                </Button>
              </Group>
            </Group>
          </Group>
          {exporting.msg && (
            <Text size="sm" c={exporting.error ? 'red' : 'green'} role={exporting.error ? 'alert' : 'status'} data-testid="applicant-export-msg">
              {exporting.msg}
            </Text>
          )}
        </Stack>
      </Paper>
      <ResultRows query={query} lang={lang} onTotal={setTotal} provinces={provinces} showDisability={seesSensitive(s.user.role)} />
    </Stack>
  );
}

type Query = { q: string; filters: Record<string, unknown>; sort: (typeof SEARCH_SORTS)[number]; dir: 'asc' | 'desc' };

/**
 * The rows, apart from the search form: scrolling re-renders only this part. Pages of PAGE rows
 * are fetched (offset/limit) as they come into view and dropped when the query changes.
 */
const ResultRows = memo(function ResultRows({
  query,
  lang,
  onTotal,
  provinces,
  showDisability,
}: {
  query: Query;
  lang: 'ar' | 'fr';
  onTotal: (n: number | null) => void;
  provinces: Province[];
  /** The roles that see sensitive data (the backend sends the field to them only). */
  showDisability: boolean;
}) {
  const provinceName = useMemo(() => new Map(provinces.map((p) => [p.code, label(p, lang)])), [provinces, lang]);
  const { t } = useTranslation('applicants');
  // Pages of results, fetched on demand as rows come into view; dropped when the query changes.
  const [total, setTotalLocal] = useState<number | null>(null);
  const setTotal = useCallback(
    (n: number | null) => {
      setTotalLocal(n);
      onTotal(n);
    },
    [onTotal],
  );
  const [error, setError] = useState<string | null>(null);
  const pages = useRef(new Map<number, ApplicantListItem[] | 'loading'>());
  const generation = useRef(0);
  const [, bump] = useState(0);

  const fetchPage = useCallback(
    async (index: number) => {
      const gen = generation.current;
      if (pages.current.has(index)) return;
      pages.current.set(index, 'loading');
      try {
        const r = await api.call('applicants.search', { ...query, filters: query.filters as never, offset: index * PAGE, limit: PAGE });
        if (gen !== generation.current) return;
        pages.current.set(index, r.items);
        setTotal(r.total);
        setError(null);
        bump((n) => n + 1);
      } catch (e) {
        if (gen !== generation.current) return;
        pages.current.delete(index);
        setError(errorText(e));
      }
    },
    [query, setTotal],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    setTotal(null);
    void fetchPage(0);
  }, [fetchPage, setTotal]);

  // A colleague saved (or an import ran): the pages on screen are fetched again in place, the count with them.
  useLiveChanges(() => {
    const gen = ++generation.current;
    const loaded = [...pages.current.keys()].filter((i) => Array.isArray(pages.current.get(i)));
    void Promise.all(
      (loaded.length ? loaded : [0]).map(async (index) => {
        const r = await api.call('applicants.search', { ...query, filters: query.filters as never, offset: index * PAGE, limit: PAGE });
        return [index, r] as const;
      }),
    ).then(
      (results) => {
        if (gen !== generation.current) return;
        const next = new Map<number, ApplicantListItem[] | 'loading'>();
        for (const [index, r] of results) {
          next.set(index, r.items);
          setTotal(r.total);
        }
        pages.current = next;
        bump((n) => n + 1);
      },
      () => undefined, // unreachable for a moment: the next change tries again
    );
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    if (!items.length) return;
    const first = Math.floor(items[0].index / PAGE);
    const last = Math.floor(items[items.length - 1].index / PAGE);
    for (let p = first; p <= last; p++) if (!pages.current.has(p)) void fetchPage(p);
  });
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query]);

  const rowAt = (i: number): ApplicantListItem | null => {
    const page = pages.current.get(Math.floor(i / PAGE));
    return Array.isArray(page) ? (page[i % PAGE] ?? null) : null;
  };

  return (
    <>
      {error && (
        <Text c="red" role="alert" data-testid="list-error">
          {error}
        </Text>
      )}
      <div className={showDisability ? 'vlist with-disability' : 'vlist'} ref={scrollRef} role="table" aria-rowcount={total ?? 0} data-testid="applicant-list">
        <div className="vrow vhead" role="row">
          <span role="columnheader">{t('field.fileNo')}</span>
          <span role="columnheader">{t('field.name')}</span>
          <span role="columnheader">{t('field.cin')}</span>
          <span role="columnheader">{t('field.age')}</span>
          <span role="columnheader">{t('field.commune')}</span>
          <span role="columnheader">{t('field.phone')}</span>
          {showDisability && <span role="columnheader" data-testid="column-disability">{t('list.disability')}</span>}
          <span role="columnheader">{t('field.status')}</span>
          <span role="columnheader">{t('field.createdAt')}</span>
        </div>
        {total === 0 ? (
          <Text p="md" data-testid="applicant-empty">
            {t('list.empty')}
          </Text>
        ) : (
          <div style={{ blockSize: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const a = rowAt(v.index);
              const style: React.CSSProperties = { position: 'absolute', insetInlineStart: 0, insetBlockStart: 0, inlineSize: '100%', blockSize: ROW_HEIGHT, transform: `translateY(${v.start}px)` };
              if (!a) {
                return (
                  <div key={v.key} className="vrow" style={style} role="row" aria-rowindex={v.index + 2}>
                    <span>{t('list.loadingRow')}</span>
                  </div>
                );
              }
              return (
                <Row
                  key={v.key}
                  a={a}
                  index={v.index}
                  start={v.start}
                  lang={lang}
                  label={t(`status.${a.status}`)}
                  province={a.provinceCode ? provinceName.get(a.provinceCode) : undefined}
                  disability={showDisability ? disabilityText(a, lang, t('list.disabilityYes'), t('list.disabilityNo')) : undefined}
                />
              );
            })}
          </div>
        )}
      </div>
    </>
  );
});

/** One row; memoised, so rows that stay in view are not re-rendered while scrolling. */
/** Her disability in words: its types ("حركية، بصرية" / "motrice, visuelle"), "yes" without a type recorded, or "no". */
function disabilityText(a: ApplicantListItem, lang: 'ar' | 'fr', yes: string, no: string): string {
  if (!a.disability) return '';
  if (!a.disability.has) return no;
  if (!a.disability.types.length) return yes;
  return a.disability.types.map((x) => (lang === 'ar' ? x.labelAr : x.labelFr)).join(lang === 'ar' ? '، ' : ', ');
}

const Row = memo(function Row({
  a,
  index,
  start,
  lang,
  label: statusLabel,
  province,
  disability,
}: {
  a: ApplicantListItem;
  index: number;
  start: number;
  lang: 'ar' | 'fr';
  label: string;
  province?: string;
  /** The disability cell's text; undefined: no such column (a role that does not see sensitive data). */
  disability?: string;
}) {
  const n = displayName(a, lang);
  return (
    <a
      href={href('applicants', a.id)}
      className="vrow"
      style={{ position: 'absolute', insetInlineStart: 0, insetBlockStart: 0, inlineSize: '100%', blockSize: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      role="row"
      aria-rowindex={index + 2}
      data-testid="applicant-row"
      data-id={a.id}
      onClick={(e) => {
        e.preventDefault();
        navigate('applicants', a.id);
      }}
    >
      <span role="cell">
        <bdi dir="ltr">{a.fileNo}</bdi>
      </span>
      <span role="cell">
        <bdi>{n.main}</bdi>
        {n.other && (
          <bdi className="name-other">{n.other}</bdi>
        )}
      </span>
      <span role="cell">
        <bdi dir="ltr">{a.cin}</bdi>
      </span>
      <span role="cell">{a.age ?? ''}</span>
      <span role="cell">
        <bdi>{label(a.communeNameAr ? { nameAr: a.communeNameAr, nameFr: a.communeNameFr ?? '' } : null, lang)}</bdi>
        {province && <bdi className="name-other" data-testid="row-province">{province}</bdi>}
      </span>
      <span role="cell">
        <bdi dir="ltr">{a.phone}</bdi>
      </span>
      {disability !== undefined && (
        <span role="cell" data-testid="row-disability" title={disability}>
          <bdi>{disability}</bdi>
        </span>
      )}
      <span role="cell">
        <span className="status-pill" data-color={statusColor(a.status)}>
          {statusLabel}
        </span>
      </span>
      <span role="cell">{showDate(a.createdAt)}</span>
    </a>
  );
});

export function statusColor(s: ApplicantStatus): string {
  if (s === 'not_retained' || s === 'dropped_out') return 'red';
  if (s === 'closed') return 'gray';
  if (s === 'financed' || s === 'followed_up' || s === 'project_validated') return 'green';
  return 'teal';
}
