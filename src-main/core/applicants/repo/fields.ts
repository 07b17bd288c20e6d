/**
 * The applicant's fields as the core stores them, derived from the one declaration of the fields: the zod schema
 * `ApplicantFieldsSchema` (src-main/shared/api/applicants.contract.ts). A field added there is a column here
 * (its name in snake_case, checked against the table type at compile time), a yes/no field is stored as 0/1, a list
 * lives in its link table. The registration, its edits, the Excel import and the seed all read this list.
 */
import type { z } from 'zod';
import { ApplicantFieldsSchema } from '../../../shared/api/applicants.contract';
import type { ApplicantsTable } from '../../db/schema-applicants';

type Shape = typeof ApplicantFieldsSchema.shape;
/** The domain values of one applicant, as the API names them (the schema's output). */
export type ApplicantValues = z.output<typeof ApplicantFieldsSchema>;
export type FieldName = keyof Shape & string;

/** camelCase → snake_case, as a type: firstNameAr → first_name_ar. */
type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;

/** The fields kept in their own link tables (lists of codes). */
export type ListField = { [K in FieldName]: ApplicantValues[K] extends readonly unknown[] ? K : never }[FieldName];
/** The fields stored in a column of `applicants`. */
export type ScalarField = Exclude<FieldName, ListField>;
export type FieldColumn<F extends ScalarField = ScalarField> = Snake<F>;

// Compile-time check: every scalar field has its column in the table type.
type Missing = Exclude<FieldColumn, keyof ApplicantsTable>;
const everyFieldHasItsColumn: [Missing] extends [never] ? true : { missingColumn: Missing } = true;
void everyFieldHasItsColumn;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike } };
}
/** The schema's own kind under its wrappers (default, optional, nullable, transform). */
function baseType(s: ZodLike): string {
  let t = s;
  for (;;) {
    const d = t._zod.def;
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable') && d.innerType) t = d.innerType;
    else if (d.type === 'pipe' && d.in) t = d.in;
    else return d.type;
  }
}

const shape = ApplicantFieldsSchema.shape as unknown as Record<FieldName, ZodLike>;
/** Every field, in the schema's order. */
export const FIELD_NAMES = Object.keys(shape) as FieldName[];
export const LIST_FIELDS = FIELD_NAMES.filter((f) => baseType(shape[f]) === 'array') as ListField[];
export const SCALAR_FIELDS = FIELD_NAMES.filter((f) => baseType(shape[f]) !== 'array') as ScalarField[];
/** Stored as 0/1. */
export const BOOLEAN_FIELDS: ReadonlySet<ScalarField> = new Set(SCALAR_FIELDS.filter((f) => baseType(shape[f]) === 'boolean'));

/** API field → column (situations and disabilityTypes live in their own tables). */
export const FIELD_COLUMNS = Object.fromEntries(SCALAR_FIELDS.map((f) => [f, snake(f)])) as { [F in ScalarField]: FieldColumn<F> };

/** Withheld from roles that do not need them (law 09-08: health data and data on violence suffered). */
export const SENSITIVE_FIELDS = [
  'hasDisability',
  'disabilityTypes',
  'disabilitySeverity',
  'disabilityCardNumber',
  'disabilityCardExpiry',
  'rsuIndex',
] as const satisfies readonly FieldName[];
