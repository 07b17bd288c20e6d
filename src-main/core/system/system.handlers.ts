import { AppError } from '../../shared/errors';
import { officeBySlug } from '../../shared/offices';
import type { OfficeInfo } from '../../shared/api/contract';
import type { Handlers, HandlersOf } from '../handler-types';
import type { systemContract } from '../../shared/api/system.contract';
import type { Office } from '../db/schema';
import { generateSigningKeyPair, keyFingerprint } from '../crypto/keys';
import { hashPassword } from '../crypto/passwords';
import { insertUser } from '../accounts/accounts.repo';
import { insertInstallation, insertOffice, listCommunes, listProvinces, updateOffice } from './system.repo';
import { computeZoneOffsets, type ZoneOffsetTable } from '../../shared/time';
import { getDefaultTimeZone } from '../../shared/format';

/**
 * The span the renderer's offset table covers. From 2018: Morocco's current rule (UTC+1, UTC+0 during Ramadan) dates
 * from October 2018, and a browser's old zone data is wrong only about the years after it was made, never about the
 * past; to 2060, far beyond any time the app shows. About 45 ms of CPU once per process (88 changes, 2 KB of JSON).
 */
const OFFSETS_FROM = Date.UTC(2018, 0, 1);
const OFFSETS_TO = Date.UTC(2060, 0, 1);
const offsetTables = new Map<string, ZoneOffsetTable>();

/** The office zone's offsets, from Node's zone data (computed once per process, see computeZoneOffsets). */
export function officeZoneOffsets(zone: string = getDefaultTimeZone()): ZoneOffsetTable {
  let t = offsetTables.get(zone);
  if (!t) offsetTables.set(zone, (t = computeZoneOffsets(zone, OFFSETS_FROM, OFFSETS_TO)));
  return t;
}

export function toOfficeInfo(o: Office): OfficeInfo {
  return {
    id: o.id,
    slug: o.slug,
    code: o.code,
    kind: o.kind,
    provinceCode: o.province_code,
    nameAr: o.name_ar,
    nameFr: o.name_fr,
    addressAr: o.address_ar,
    addressFr: o.address_fr,
    signatoryTitleAr: o.signatory_title_ar,
    signatoryTitleFr: o.signatory_title_fr,
  };
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type SystemHandlers = HandlersOf<typeof systemContract>;

export const systemHandlers = {
  'system.status': async (_input, ctx) => {
    const office = ctx.office();
    return {
      setupDone: office !== null,
      office: office ? toOfficeInfo(office) : null,
      appVersion: ctx.services.appVersion,
      schemaVersion: ctx.services.schemaVersion,
      databaseCheck: ctx.services.databaseHealth.state,
    };
  },

  'system.timeZone': async () => officeZoneOffsets(),

  'system.setup': async ({ office: slug, settings, admin }, ctx) => {
    if (ctx.office()) throw new AppError('setup.already_done');
    const def = officeBySlug(slug)!;
    const now = ctx.now();
    const keys = generateSigningKeyPair();
    const officeId = ctx.newId();
    const officeSeq = ctx.change('offices', officeId, 'insert', officeId);
    insertOffice(ctx.db, {
        id: officeId,
        slug: def.slug,
        code: def.code,
        kind: def.kind,
        province_code: def.provinceCode,
        name_ar: settings.nameAr,
        name_fr: settings.nameFr,
        address_ar: settings.addressAr,
        address_fr: settings.addressFr,
        signatory_title_ar: settings.signatoryTitleAr,
        signatory_title_fr: settings.signatoryTitleFr,
        public_key: keys.publicKey,
        trusted: 1,
        created_at: now,
        updated_at: now,
        change_seq: officeSeq,
    });
    insertInstallation(ctx.db, { id: 1, office_id: officeId, signing_key_pem: keys.privateKey, created_at: now });
    const adminId = ctx.newId();
    const userSeq = ctx.change('users', adminId, 'insert', officeId);
    insertUser(ctx.db, {
        id: adminId,
        office_id: officeId,
        username: admin.username,
        display_name: admin.displayName,
        role: 'admin',
        password_hash: hashPassword(admin.password),
        language: 'ar',
        active: 1,
        failed_attempts: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
        change_seq: userSeq,
    });
    ctx.services.resetOfficeCache();
    const fingerprint = keyFingerprint(keys.publicKey);
    ctx.audit({ entity: 'offices', entityId: officeId, changes: { slug: [null, def.slug], name_fr: [null, settings.nameFr], fingerprint: [null, fingerprint] } });
    ctx.audit({ entity: 'users', entityId: adminId, changes: { username: [null, admin.username], role: [null, 'admin'] } });
    return { officeId, adminId, publicKey: keys.publicKey, fingerprint };
  },

  'settings.get': async (_input, ctx) => {
    const o = ctx.requireOffice();
    return { ...toOfficeInfo(o), publicKey: o.public_key ?? '', fingerprint: o.public_key ? keyFingerprint(o.public_key) : '' };
  },

  'settings.update': async (input, ctx) => {
    const o = ctx.requireOffice();
    const next = {
      name_ar: input.nameAr,
      name_fr: input.nameFr,
      address_ar: input.addressAr,
      address_fr: input.addressFr,
      signatory_title_ar: input.signatoryTitleAr,
      signatory_title_fr: input.signatoryTitleFr,
    };
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [k, v] of Object.entries(next)) if (o[k as keyof Office] !== v) changes[k] = [o[k as keyof Office], v];
    if (Object.keys(changes).length) {
      const seq = ctx.change('offices', o.id, 'update', o.id);
      updateOffice(ctx.db, o.id, { ...next, updated_at: ctx.now(), change_seq: seq });
      ctx.audit({ entity: 'offices', entityId: o.id, changes });
      ctx.services.resetOfficeCache();
    }
    return toOfficeInfo({ ...o, ...next });
  },

  'territories.provinces': async (_input, ctx) => {
    const rows = listProvinces(ctx.db);
    return rows.map((r) => ({ code: r.code, slug: r.slug, nameAr: r.name_ar, nameFr: r.name_fr }));
  },

  'territories.communes': async ({ provinceCode }, ctx) => {
    const office = ctx.office();
    // A provincial office works only with its province's communes.
    const scope = office?.kind === 'province' ? office.province_code : null;
    if (scope && provinceCode && provinceCode !== scope) throw new AppError('territory.out_of_scope', { provinceCode });
    const rows = listCommunes(ctx.db, scope ?? provinceCode ?? null);
    return rows.map((r) => ({
      code: r.code,
      provinceCode: r.province_code,
      nameAr: r.name_ar,
      nameFr: r.name_fr,
      type: r.type,
      cercleCode: r.cercle_code,
      cercleAr: r.cercle_ar,
      cercleFr: r.cercle_fr,
    }));
  },
} satisfies Partial<Handlers>;
