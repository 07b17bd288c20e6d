/** Kysely table types of the sessions feature (tables from its migration). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionsTables {}
