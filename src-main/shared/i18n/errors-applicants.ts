/** Error messages of the applicants feature (Arabic, French). */
export const applicantsErrorMessages: { ar: Record<string, string>; fr: Record<string, string> } = { ar: {}, fr: {} };
