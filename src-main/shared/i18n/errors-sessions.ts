/** Error messages of the sessions feature (Arabic, French). */
export const sessionsErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
