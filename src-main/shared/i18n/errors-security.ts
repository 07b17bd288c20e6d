/** Error messages of the security feature (Arabic, French). */
export const securityErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
