import { useApiQuery } from '../../lib/useApi';

/** What the exchange screens read (lib/useApi.ts): each hook gives data, translated error, loading and reload. */
export const useExchangeKeys = () => useApiQuery('exchange.keysShow', {});
export const useExchangeSchedule = () => useApiQuery('exchange.schedule', {});
/** The files sent, for the office head only (`enabled`). */
export const useExportHistory = (enabled: boolean) => useApiQuery('exchange.history', {}, { enabled });
export const useRegionOffices = () => useApiQuery('exchange.offices', {});
export const useOpenReviews = () => useApiQuery('exchange.reviews', { status: 'open' });
