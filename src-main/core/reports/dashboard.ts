/** The dashboard: the workbook's indicators (same computeIndicators) as chart-ready series. */
import type { ChartPoint, DashboardData, ProvinceFigures } from '../../shared/api/reports.contract';
import type { Indicators } from './indicators';
import { monthLabel, periodLabel } from './period';

const point = (x: { key: string; labelAr: string; labelFr: string }, value: number): ChartPoint => ({
  key: x.key,
  labelAr: x.labelAr,
  labelFr: x.labelFr,
  value,
});

/** `byProvince`: the region's table by province (provinceBreakdown), null elsewhere. */
export function dashboardFrom(ind: Indicators, byProvince: { rows: ProvinceFigures[]; total: ProvinceFigures } | null = null): DashboardData {
  const minutes = ind.sessions.reduce((t, s) => t + s.minutes, 0);
  const present = ind.sessions.reduce((t, s) => t + s.present, 0);
  const recorded = ind.sessions.reduce((t, s) => t + s.recorded, 0);
  const c = ind.categories;
  return {
    period: ind.period.code,
    periodLabelAr: periodLabel(ind.period, 'ar'),
    periodLabelFr: periodLabel(ind.period, 'fr'),
    isRegion: ind.scope.isRegion,
    totals: {
      registeredInPeriod: ind.totals.period,
      registeredToDate: ind.totals.cumulative,
      womenInPeriod: ind.totals.women,
      sessions: ind.sessions.reduce((t, s) => t + s.sessions, 0),
      hours: Math.round((minutes / 60) * 100) / 100,
      attendanceRate: recorded ? present / recorded : null,
      attestations: ind.attestations.reduce((t, a) => t + a.issued, 0),
      financed: ind.financing.counts.flat().reduce((t, n) => t + n, 0),
    },
    registrationsByMonth: ind.registrations.map((m) => ({
      key: m.month,
      labelAr: monthLabel(m.month, 'ar'),
      labelFr: monthLabel(m.month, 'fr'),
      value: m.total,
    })),
    funnel: ind.funnel.map((s) => point(s, s.count)),
    statuses: ind.statuses.map((s) => point(s, s.count)),
    communes: [...ind.communes]
      .sort((a, b) => b.cumulative - a.cumulative)
      .map((x) => ({ ...point(x, x.cumulative), type: x.type, provinceCode: x.provinceCode })),
    areas: ind.areas.map((a) => point(a, a.cumulative)),
    categories: [
      { ...point(c.projectHolders, c.projectHolders.cumulative), group: 'project_holder' as const },
      { ...point(c.difficult, c.difficult.cumulative), group: 'difficult_situation' as const },
      ...c.situations.map((x) => ({ ...point(x, x.cumulative), group: 'situation' as const })),
      { ...point(c.disability, c.disability.cumulative), group: 'disability' as const },
      ...c.disabilityTypes.map((x) => ({ ...point(x, x.cumulative), group: 'disability_type' as const })),
    ],
    ageBands: ind.ageBands.map((a) => point(a, a.cumulative)),
    education: ind.education.map((a) => point(a, a.cumulative)),
    provinces: ind.provinces ? ind.provinces.map((p) => point(p, p.cumulative)) : null,
    provinceTable: byProvince && {
      steps: ind.funnel.map((s) => ({ key: s.key, labelAr: s.labelAr, labelFr: s.labelFr })),
      rows: byProvince.rows,
      total: byProvince.total,
    },
  };
}
