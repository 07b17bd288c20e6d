import type { Handlers, HandlersOf } from '../handler-types';
import type { sessionsContract } from '../../shared/api/sessions.contract';
import * as service from './sessions.service';
import { sheetsHandlers } from './sheets.handlers';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type SessionsHandlers = HandlersOf<typeof sessionsContract>;

/** The sessions feature's methods, bound to its service (rules: sessions.service.ts; SQL: sessions.repo.ts). */
export const sessionsHandlers = {
  'sessions.lookups': async (input, ctx) => service.lookups(input, ctx),
  'topics.save': async (input, ctx) => service.saveTopic(input, ctx),
  'organisations.create': async (input, ctx) => service.createOrganisation(input, ctx),
  'organisations.update': async (input, ctx) => service.updateOrganisation(input, ctx),
  'facilitators.create': async (input, ctx) => service.createFacilitator(input, ctx),
  'facilitators.update': async (input, ctx) => service.updateFacilitator(input, ctx),
  'cohorts.list': async (input, ctx) => service.listCohorts(input, ctx),
  'cohorts.get': async (input, ctx) => service.getCohort(input, ctx),
  'cohorts.create': async (input, ctx) => service.createCohort(input, ctx),
  'cohorts.update': async (input, ctx) => service.updateCohort(input, ctx),
  'cohorts.enrol': async (input, ctx) => service.enrol(input, ctx),
  'cohorts.enrolSearch': async (input, ctx) => service.enrolSearch(input, ctx),
  'cohorts.withdraw': async (input, ctx) => service.withdraw(input, ctx),
  'sessions.create': async (input, ctx) => service.createSession(input, ctx),
  'sessions.update': async (input, ctx) => service.updateSession(input, ctx),
  'sessions.cancel': async (input, ctx) => service.cancelSession(input, ctx),
  'sessions.get': async (input, ctx) => service.getSession(input, ctx),
  'sessions.recordAttendance': async (input, ctx) => service.recordAttendance(input, ctx),
  'sessions.range': async (input, ctx) => service.range(input, ctx),
  'sessions.forApplicant': async (input, ctx) => service.forApplicant(input, ctx),
  'sessions.setBusinessPlan': async (input, ctx) => service.setBusinessPlan(input, ctx),
  // Attendance sheets and the signed sheets scanned back (sheets.handlers.ts).
  ...sheetsHandlers,
  'sessions.criteria': async (input, ctx) => service.criteria(input, ctx),
  'sessions.setCriteria': async (input, ctx) => service.setCriteria(input, ctx),
} satisfies Partial<Handlers>;
