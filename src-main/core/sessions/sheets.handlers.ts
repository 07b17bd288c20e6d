import type { Handlers } from '../handler-types';
import * as sheets from './sheets.service';

/** Attendance sheets and the signed sheets scanned back (sheets.service.ts). */
export const sheetsHandlers = {
  'sessions.sheet': async (input, ctx) => sheets.sheet(input, ctx),
  'sessions.attachSheet': async (input, ctx) => sheets.attachSheet(input, ctx),
  'sessions.attachments': async (input, ctx) => sheets.attachments(input, ctx),
  'sessions.openAttachment': async (input, ctx) => sheets.openAttachment(input, ctx),
} satisfies Partial<Handlers>;
