/** Kysely table types of the exchange feature (tables from its migration). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExchangeTables {}
