import { z } from 'zod';
import { method } from './define';
import { OFFICE_SLUGS } from '../offices';
import type { ZoneOffsetTable } from '../time';

export const LanguageSchema = z.enum(['ar', 'fr']);
export type Language = z.infer<typeof LanguageSchema>;

/** Passwords: at least 10 characters with a letter and a digit (the password policy). */
export const PasswordSchema = z
  .string()
  .min(10, { message: 'users.password_too_short' })
  .max(200)
  .regex(/\p{L}/u, { message: 'users.password_needs_letter' })
  .regex(/\p{Nd}/u, { message: 'users.password_needs_digit' });

export const UsernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^[a-zA-Z0-9._-]+$/, { message: 'users.username_invalid' });

export interface OfficeInfo {
  id: string;
  slug: string;
  code: string;
  kind: 'province' | 'region';
  provinceCode: string | null;
  nameAr: string;
  nameFr: string;
  addressAr: string;
  addressFr: string;
  signatoryTitleAr: string;
  signatoryTitleFr: string;
}

export interface SystemStatus {
  setupDone: boolean;
  office: OfficeInfo | null;
  appVersion: string;
  schemaVersion: string;
  /**
   * The start-up integrity check of the window and web bridge: not needed (closed cleanly, or a door that does not
   * check), running in the background, ok, or damaged (writes are refused with backup.database_damaged).
   */
  databaseCheck: 'not_needed' | 'running' | 'ok' | 'damaged';
}

export interface Province {
  code: string;
  slug: string;
  nameAr: string;
  nameFr: string;
}
export interface Commune {
  code: string;
  provinceCode: string;
  nameAr: string;
  nameFr: string;
  type: 'urbaine' | 'rurale';
  cercleCode: string | null;
  cercleAr: string | null;
  cercleFr: string | null;
}

export const OfficeSettingsSchema = z.object({
  nameAr: z.string().trim().min(2).max(200),
  nameFr: z.string().trim().min(2).max(200),
  addressAr: z.string().trim().max(300).default(''),
  addressFr: z.string().trim().max(300).default(''),
  signatoryTitleAr: z.string().trim().min(2).max(200),
  signatoryTitleFr: z.string().trim().min(2).max(200),
});

export const systemContract = {
  'system.status': method<SystemStatus>()({
    input: z.object({}).strict(),
    access: 'public',
    write: false,
    summary: 'Whether setup is done, which office this installation serves, versions.',
  }),
  'system.timeZone': method<ZoneOffsetTable>()({
    input: z.object({}).strict(),
    access: 'public',
    write: false,
    // Computed in memory (no database): answered at once, even while another call runs.
    lockFree: true,
    summary: "The office time zone's offsets from UTC over the years, from the backend's zone data: the window and the browser put every time in local time with these, not with their own (older) zone data.",
  }),
  'system.setup': method<{ officeId: string; adminId: string; publicKey: string; fingerprint: string }>()({
    input: z
      .object({
        office: z.enum(OFFICE_SLUGS),
        settings: OfficeSettingsSchema,
        admin: z.object({
          username: UsernameSchema,
          displayName: z.string().trim().min(2).max(100),
          password: PasswordSchema,
        }),
      })
      .strict(),
    access: 'public',
    write: true,
    summary: 'First run: choose the office, its names and signatory, create the first administrator and the signing keys.',
  }),
  'settings.get': method<OfficeInfo & { publicKey: string; fingerprint: string }>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: "This office's names, address, signatory title and public key.",
  }),
  'settings.update': method<OfficeInfo>()({
    input: OfficeSettingsSchema.strict(),
    access: ['office_head'],
    write: true,
    summary: "Change this office's names, address and signatory title (used on documents).",
  }),
  'territories.provinces': method<Province[]>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'The five provinces of region 08 Drâa-Tafilalet.',
  }),
  'territories.communes': method<Commune[]>()({
    input: z.object({ provinceCode: z.string().regex(/^08\.\d{3}$/).optional() }).strict(),
    access: 'authenticated',
    write: false,
    summary: "Communes with official HCP codes (a provincial office gets only its province's).",
  }),
} as const;
