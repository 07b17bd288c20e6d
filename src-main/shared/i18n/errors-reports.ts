/** Error messages of the reports feature (Arabic, French). */
export const reportsErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
