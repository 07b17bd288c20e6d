/** Kysely table types of the applicants feature (tables from its migration). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ApplicantsTables {}
