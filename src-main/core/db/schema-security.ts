/** Kysely table types of the security feature (tables from its migration). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SecurityTables {}
