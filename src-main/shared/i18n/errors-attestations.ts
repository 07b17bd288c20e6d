/** Error messages of the attestations feature (Arabic, French). */
export const attestationsErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
