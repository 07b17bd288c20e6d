/**
 * One feature's error messages, Arabic and French with the same codes (a code missing in one language does not
 * compile). The codes of every table make up `ErrorCode` (error-codes.ts), so `new AppError('…')` is checked.
 */
export function defineErrors<K extends string>(table: { ar: Record<K, string>; fr: Record<K, string> }) {
  return table;
}
