import type { z } from 'zod';
import { ApplicantFieldsSchema, type ApplicantFile } from '../../../../src-main/shared/api/applicants.contract';
import type { MethodInput } from '../../../../src-main/shared/api/contract';

/**
 * The registration form's model, derived from the applicant's zod schema (`ApplicantFieldsSchema` in
 * src-main/shared/api/applicants.contract.ts), where the fields are declared once: the form state's type, its
 * empty values, the field list and the conversions to and from the API are read from the schema. A field added
 * there appears here with the right kind (text, yes/no, list, date, number); the form only lays it out.
 */

const shape = ApplicantFieldsSchema.shape;
type Shape = typeof shape;
export type FieldName = keyof Shape;
/** What the API takes for the fields (`applicants.create` without consent; `applicants.update` changes). */
export type FieldsInput = z.input<typeof ApplicantFieldsSchema>;

/**
 * A field's value on the form: yes/no and lists as they are, a closed list without "none" (sex) as its values,
 * everything else as the text typed or chosen ('' for none; dates as YYYY-MM-DD, shown dd/mm/yyyy by the date
 * field; numbers as typed).
 */
type FormValue<T> =
  NonNullable<T> extends boolean ? boolean : NonNullable<T> extends readonly (infer E)[] ? E[] : null extends T ? string : NonNullable<T> extends string ? NonNullable<T> : string;
export type FormState = { [K in FieldName]-?: FormValue<FieldsInput[K]> };

type Kind = 'boolean' | 'list' | 'date' | 'number' | 'text';
interface ZodLike {
  _zod: { def: { type: string; innerType?: ZodLike; in?: ZodLike; defaultValue?: unknown } };
  safeParse(v: unknown): { success: boolean };
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
const kindOf = (s: ZodLike): Kind => {
  const b = baseType(s);
  // Dates are accepted as text or an Excel serial (DateInputSchema: a union of string and number).
  return b === 'boolean' ? 'boolean' : b === 'array' ? 'list' : b === 'union' ? 'date' : b === 'number' ? 'number' : 'text';
};

/** The fields in the schema's order. */
export const FIELD_NAMES = Object.keys(shape) as FieldName[];
const FIELDS = FIELD_NAMES.map((name) => {
  const s = shape[name] as unknown as ZodLike;
  const def = s._zod.def;
  return {
    name,
    kind: kindOf(s),
    /** Empty means "none" (null) for the API: the schema accepts null. */
    optional: s.safeParse(null).success,
    empty: def.type === 'default' ? def.defaultValue : kindOf(s) === 'boolean' ? false : kindOf(s) === 'list' ? [] : '',
  };
});

/** A new registration: the schema's defaults, '' for the rest. */
export const EMPTY_FORM: FormState = Object.fromEntries(FIELDS.map((f) => [f.name, Array.isArray(f.empty) ? [...f.empty] : f.empty])) as FormState;

/** The file as the form holds it (codes of reference lists, dates YYYY-MM-DD). */
export function fromFile(file: ApplicantFile): FormState {
  const src = file as unknown as Record<string, unknown>;
  const codeOf = (v: unknown) => (v && typeof v === 'object' && 'code' in v ? (v as { code: string }).code : v);
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    // The file names the commune (code and names); the form holds its code.
    const v = f.name === 'communeCode' ? file.commune : src[f.name];
    if (f.kind === 'boolean') out[f.name] = v ?? false;
    else if (f.kind === 'list') out[f.name] = ((v as unknown[] | null) ?? []).map(codeOf);
    else if (f.kind === 'date') out[f.name] = (v as string | null) ?? '';
    else if (f.kind === 'number') out[f.name] = v === null ? '' : String(v);
    else out[f.name] = (codeOf(v) as string | null) ?? '';
  }
  return out as FormState;
}

const nul = (s: string) => (s.trim() === '' ? null : s);

/** Fields that only mean something under a yes/no: sent empty when it is "no". */
const UNDER: Partial<Record<FieldName, FieldName>> = {
  situations: 'isDifficultSituation',
  disabilityTypes: 'hasDisability',
  disabilitySeverity: 'hasDisability',
  disabilityCardNumber: 'hasDisability',
  disabilityCardExpiry: 'hasDisability',
};

/** The form as the contract's input (empty optional fields as null). */
export function toInput(form: FormState): FieldsInput {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = form[f.name] as unknown;
    const parent = UNDER[f.name];
    if (parent && !form[parent]) out[f.name] = f.kind === 'list' ? [] : null;
    else if (f.kind === 'number') out[f.name] = (v as string).trim() === '' ? null : Number(v);
    else if (typeof v === 'string' && f.optional) out[f.name] = nul(v);
    else out[f.name] = v;
  }
  return out as FieldsInput;
}

/** The fields of the form that differ from the version it was opened on. */
export function changedFields(form: FormState, base: FormState): FieldName[] {
  return FIELD_NAMES.filter((k) => JSON.stringify(form[k]) !== JSON.stringify(base[k]));
}

/** Health data: hidden together when the role may not see it. */
const SENSITIVE_DISABILITY: FieldName[] = ['hasDisability', 'disabilityTypes', 'disabilitySeverity', 'disabilityCardNumber', 'disabilityCardExpiry'];

/** What an edit changes (the `changes` of applicants.update): fields hidden from the role are never sent. */
export function changesFrom(form: FormState, initial: FormState, hidden: Set<string>): MethodInput<'applicants.update'>['changes'] {
  const input = toInput(form);
  const before = toInput(initial);
  const changes: Record<string, unknown> = {};
  for (const k of FIELD_NAMES) {
    if (hidden.has(k) || (hidden.has('hasDisability') && SENSITIVE_DISABILITY.includes(k))) continue;
    if (JSON.stringify(input[k]) !== JSON.stringify(before[k])) changes[k] = input[k];
  }
  return changes as MethodInput<'applicants.update'>['changes'];
}
