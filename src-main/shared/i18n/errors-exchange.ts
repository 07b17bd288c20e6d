/** Error messages of the exchange feature (Arabic, French). */
export const exchangeErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
