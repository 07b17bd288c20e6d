import { z } from 'zod';
import { method } from './define';
import { ROLES, type Role } from '../roles';
import { LanguageSchema, PasswordSchema, UsernameSchema, type Language } from './system.contract';

export interface UserInfo {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  language: Language;
  active: boolean;
  /** Locked out for a while after repeated failed logins (an office head or administrator can lift it). */
  locked: boolean;
}

export const accountsContract = {
  'auth.login': method<{ token: string; user: UserInfo; mustChangePassword: boolean }>()({
    input: z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) }).strict(),
    access: 'public',
    write: true,
    summary: 'Log in; returns a session token. Repeated failures lock the account for a while.',
  }),
  'auth.logout': method<{ done: true }>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'End the current session.',
  }),
  'auth.me': method<UserInfo>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'The logged-in user.',
  }),
  'users.setLanguage': method<UserInfo>()({
    input: z.object({ language: LanguageSchema }).strict(),
    access: 'authenticated',
    write: true,
    summary: "Remember the user's interface language (ar or fr).",
  }),
  'users.list': method<UserInfo[]>()({
    input: z.object({}).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Accounts of this office.',
  }),
  'users.create': method<UserInfo>()({
    input: z
      .object({
        username: UsernameSchema,
        displayName: z.string().trim().min(2).max(100),
        role: z.enum(ROLES),
        password: PasswordSchema,
        language: LanguageSchema.default('ar'),
        /** She chooses her own password at first login (always, from the window and the web bridge; the CLI may say no). */
        mustChange: z.boolean().optional(),
      })
      .strict(),
    access: ['office_head'],
    write: true,
    cliOnly: ['mustChange'],
    summary: 'Create an account (office heads create agents; administrators any role); she changes the password at first login.',
  }),
} as const;
