import { listFolderRoots, type FolderRoot } from './files/folder-roots';
import { localDate } from '../shared/time';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { contract, isMethodName, type MethodName, type MethodOutput } from '../shared/api/contract';
import { roleAllowed } from '../shared/roles';
import { AppError, type Result } from '../shared/errors';
import { APP_VERSION } from '../shared/version';
import { createKysely, openSqlite, type Sqlite } from './db/connection';
import { readable, writable } from './db/handles';
import { FileKeyStore, prepareDatabaseSecret, type KeyStore } from './db/encryption';
import { migrate, type MigrateResult } from './db/migrate';
import type { DB, Office } from './db/schema';
import { actorRole, shownActorName, silentLogger, type Actor, type AuditEntry, type Logger, type WriteContext } from './context';
import { appendAudit, type AuditRow } from './audit/audit.repo';
import { lastChangeSeq, recordChange, recordChanges } from './changes/changes.repo';
import { AuthSessionStore } from './accounts/auth-sessions';
import { findUserById } from './accounts/accounts.repo';
import { handlers } from './handlers';
import { projectRoot } from './paths';
import { Outbox } from './files/outbox';
import { databaseFiles, makePrivate, prepareDataFolder } from './files/private-files';
import { JobRegistry } from './jobs/job-registry';
import { refreshMatchingKeys } from './applicants/matching-keys';
import { checkInBackground, forgetCleanClose, recordCleanClose, type DatabaseHealth, type RunCheck } from './security/start-check';
import type { StartCheck } from './security/backup';

/** What a user whose password was reset may still call. */
const PASSWORD_CHANGE_METHODS = new Set<string>(['auth.changePassword', 'auth.me', 'auth.logout', 'system.status', 'system.timeZone']);
/** The writes a database found damaged at start still accepts: signing in and out, and putting a good backup back. */
const DAMAGED_DATABASE_WRITES = new Set<string>(['auth.login', 'auth.logout', 'auth.reauth', 'auth.changePassword', 'recovery.unlockAdmin', 'backup.restore', 'recovery.restoreBackup']);
const RESTORE_METHODS = new Set<string>(['backup.restore', 'recovery.restoreBackup']);

export interface CoreOptions {
  dbPath: string;
  clock?: () => Date;
  logger?: Logger;
  migrationsDir?: string;
  nativeBinding?: string;
  /** Where the database's secret is sealed (encryption at rest): a key file by default; the window's safeStorage. */
  keyStore?: KeyStore;
  /** false only for the bench's unencrypted baseline: a new or unencrypted file is left unencrypted. */
  encrypt?: boolean;
  /** Where folders may be chosen (removable drives, home): this machine's by default; tests give their own. */
  folderRoots?: () => FolderRoot[];
}

export interface CallOptions {
  /** Session token from auth.login (window and web bridge). */
  token?: string;
  /** Trusted doors only (the CLI): act as this actor without a session. */
  actor?: Actor;
  /** The office network's workstation the call came from (its paired name): named in the audit trail. */
  workstation?: string;
}

export interface Core {
  call<M extends MethodName>(method: M, input: unknown, opts?: CallOptions): Promise<Result<MethodOutput<M>>>;
  /** Like call, but throws the AppError instead of returning it (tests, CLI, bench). */
  invoke<M extends MethodName>(method: M, input: unknown, opts?: CallOptions): Promise<MethodOutput<M>>;
  readonly sqlite: Sqlite;
  readonly db: Kysely<DB>;
  readonly dbPath: string;
  /** Whether the database file is encrypted at rest. */
  readonly encrypted: boolean;
  readonly migration: MigrateResult;
  readonly clock: () => Date;
  readonly outbox: Outbox;
  /** What the start-up integrity check found (security/start-check.ts): a damaged database refuses writes. */
  readonly health: DatabaseHealth;
  /**
   * The start-up integrity check, after the window shows: skipped when the last close was clean, else PRAGMA
   * quick_check in a worker thread while the core answers; damage is kept in `health` and given to `onDamaged`.
   */
  checkInBackground(o: { clean: boolean; run?: RunCheck; onDamaged?: (e: AppError) => void }): Promise<StartCheck>;
  close(): Promise<void>;
}

/** Runs calls one at a time: SQLite has one writer, and handlers await between statements. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** The context of a lock-free method: the database (and what reads it) is out of reach. */
function noDatabase(ctx: WriteContext): WriteContext {
  const refuse = (): never => {
    throw new Error(`lock-free method ${ctx.method} tried to use the database`);
  };
  const guard = new Proxy({}, { get: refuse, apply: refuse }) as never;
  return { ...ctx, db: guard, office: refuse, requireOffice: refuse };
}

/** The first key of `names` present (not undefined) anywhere in a parsed input, as a dotted path. */
export function cliOnlyField(value: unknown, names: readonly string[], at = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = cliOnlyField(value[i], names, `${at}${i}.`);
      if (f) return f;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && names.includes(k)) return `${at}${k}`;
      const f = cliOnlyField(v, names, `${at}${k}.`);
      if (f) return f;
    }
  }
  return null;
}

function zodToError(err: z.ZodError, input: unknown): AppError {
  const issues = err.issues.map((i) => {
    // Whether the field was left empty (never its value): the message then says "required" (issue 15).
    const v = i.path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), input);
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    return { path: i.path.join('.'), code: i.code, message: i.message, ...(empty ? { empty: true } : {}) };
  });
  return new AppError('validation.failed', { issues });
}

/**
 * Opens (and migrates) the database and returns the core: one dispatcher over the handler table.
 * Every call, whichever door it came through, goes through the same steps: find the method,
 * resolve who is calling, check the role, validate the input with zod, run the handler
 * (write methods in one transaction, with their audit rows and change numbers), and return
 * `{ok, value}` or `{ok: false, error: {code, params}}`.
 */
export function createCore(opts: CoreOptions): Core {
  const clock = opts.clock ?? (() => new Date());
  const logger = opts.logger ?? silentLogger;
  // The data folder, the database and its -wal/-shm are the user's only (0700/0600; issue 16).
  prepareDataFolder(opts.dbPath);
  const keyStore = opts.keyStore ?? new FileKeyStore();
  const secret = prepareDatabaseSecret(opts.dbPath, keyStore, {
    // JISR_BENCH_UNENCRYPTED=1 is set by bench/run.ts only (its bare-library baselines open the same files).
    encrypt: opts.encrypt ?? (process.env.JISR_BENCH_UNENCRYPTED === '1' ? false : undefined),
    now: clock(),
    nativeBinding: opts.nativeBinding,
    onConverted: () => logger.info('database encrypted at rest (converted after a checked copy)', {}),
  });
  const sqlite = openSqlite(opts.dbPath, { nativeBinding: opts.nativeBinding, secret });
  // Open: a crash from now on must not find the record of a clean close (the next start then checks the file).
  forgetCleanClose(opts.dbPath);
  const health: DatabaseHealth = { state: 'not_needed', damage: null };
  // SQLite makes the -wal and -shm with the database file's mode: once it is 0600, so are they.
  if (opts.dbPath !== ':memory:') makePrivate(...databaseFiles(opts.dbPath));
  let migration: MigrateResult;
  try {
    migration = migrate(sqlite, {
      dir: opts.migrationsDir ?? join(projectRoot(), 'migrations'),
      dbPath: opts.dbPath,
      now: clock,
      onBackup: (p) => logger.info('database copied before migration', { path: p }),
      secret,
      nativeBinding: opts.nativeBinding,
    });
  } catch (e) {
    sqlite.close();
    throw e;
  }
  // The matching engine's stored keys (search across scripts, duplicate blocking), made again when its rules changed.
  const rekeyed = refreshMatchingKeys(sqlite);
  if (rekeyed) logger.info('matching keys recomputed', { files: rekeyed });
  const db = createKysely(sqlite);
  const authSessions = new AuthSessionStore(() => clock().getTime());
  const mutex = new Mutex();

  let officeCache: Office | null | undefined;
  const loadOffice = (): Office | null => {
    if (officeCache === undefined) {
      officeCache =
        (sqlite
          .prepare('SELECT o.* FROM installation i JOIN offices o ON o.id = i.office_id WHERE i.id = 1')
          .get() as Office | undefined) ?? null;
    }
    return officeCache;
  };
  const outbox = new Outbox();
  const jobs = new JobRegistry(() => clock().getTime());
  /** Each user as their last ordinary call resolved them: lock-free calls resolve from it, without the database. */
  const knownActors = new Map<string, Actor & { kind: 'user' }>();
  // The latest change number, for the lock-free changes.latest (screens poll it to refresh). Read between calls it
  // sees every process's commits (WAL); while a call holds the connection (a transaction open, or a statement being
  // iterated) the last number read is answered instead of waiting — the next poll gets the new one.
  let lastSeenChange = 0;
  const latestChange = (): number => {
    if (sqlite.open && !sqlite.inTransaction) {
      try {
        lastSeenChange = lastChangeSeq(readable(sqlite));
      } catch {
        // the connection is busy iterating a query: answer the last number read
      }
    }
    return lastSeenChange;
  };
  const services = {
    latestChange,
    authSessions,
    outbox,
    jobs,
    dbPath: opts.dbPath,
    /** The database's secret (recovery key), null for an unencrypted or in-memory database. */
    databaseSecret: secret,
    keyStore,
    appVersion: APP_VERSION,
    schemaVersion: migration.schemaVersion,
    databaseHealth: health,
    folderRoots: opts.folderRoots ?? (() => listFolderRoots()),
    resetOfficeCache: () => {
      officeCache = undefined;
    },
  };

  async function resolveActor(o: CallOptions, lockFree = false): Promise<Actor> {
    if (o.actor) return o.actor;
    if (o.token) {
      const userId = authSessions.touch(o.token);
      if (!userId) throw new AppError('auth.session_expired');
      if (lockFree) {
        // Answered while another call may hold the connection (in a transaction, or iterating a query):
        // the session is checked in memory; the user is as their last ordinary call found them. A user who has
        // made none since logging in gets the least role: enough for 'authenticated' methods on their own jobs.
        const known = knownActors.get(userId);
        return known
          ? { ...known, token: o.token }
          : { kind: 'user', userId, username: '', role: 'agent', officeId: '', token: o.token };
      }
      const u = findUserById(readable(sqlite), userId);
      if (!u || u.active !== 1) {
        knownActors.delete(userId);
        authSessions.end(o.token);
        throw new AppError('auth.session_expired');
      }
      const actor: Actor & { kind: 'user' } = {
        kind: 'user',
        userId: u.id,
        username: u.username,
        role: u.role,
        officeId: u.office_id,
        token: o.token,
        mustChangePassword: u.must_change_password === 1,
      };
      knownActors.set(u.id, actor);
      return actor;
    }
    return { kind: 'anonymous' };
  }

  async function dispatch(method: string, rawInput: unknown, o: CallOptions, onJob?: (finish: (error: unknown) => void) => void): Promise<unknown> {
    if (!isMethodName(method)) throw new AppError('api.unknown_method', { method });
    const spec = contract[method];
    const lockFree = spec.lockFree === true;
    const actor = await resolveActor(o, lockFree);
    // After an administrator's reset, the server (not only the UI) waits for the new password.
    if (actor.kind === 'user' && actor.mustChangePassword && !PASSWORD_CHANGE_METHODS.has(method)) {
      throw new AppError('auth.must_change_password', { method });
    }
    const role = actorRole(actor);
    if (!roleAllowed(spec.access, role)) {
      throw new AppError(role === null ? 'auth.login_required' : 'auth.forbidden', { method, role });
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw zodToError(parsed.error, rawInput ?? {});
    if (spec.cliOnly && actor.kind !== 'cli') {
      const field = cliOnlyField(parsed.data, spec.cliOnly);
      if (field) throw new AppError('api.cli_only', { field });
    }
    const handler = handlers[method] as (input: unknown, ctx: WriteContext) => Promise<unknown>;
    // A long call started with a jobId: registered so that jobs.progress / jobs.cancel can reach it.
    const jobId = spec.job ? (parsed.data as { jobId?: unknown }).jobId : undefined;
    let job: ReturnType<JobRegistry['begin']> | null = null;
    if (typeof jobId === 'string') {
      job = jobs.begin(jobId, actor, method);
      onJob?.(job.finish);
    }

    const audits: AuditEntry[] = [];
    const shownName = shownActorName(actor, o.workstation);
    // One object for both kinds: a read method's handler is typed with ReadContext (no audit/change, a ReadableDB),
    // and the run-time guards below stay for code that casts its way round the types.
    const makeCtx = (): WriteContext => ({
      db: writable(sqlite),
      method,
      actor,
      actorName: shownName,
      role,
      clock,
      now: () => clock().toISOString(),
      today: () => localDate(clock()),
      newId: () => uuidv7(),
      logger,
      office: loadOffice,
      requireOffice: () => {
        const office = loadOffice();
        if (!office) throw new AppError('setup.required');
        return office;
      },
      audit: (entry) => {
        if (!spec.write) throw new Error(`read-only method ${method} tried to write an audit entry`);
        audits.push(entry);
      },
      change: (entity, entityId, op, officeId) => {
        if (!spec.write) throw new Error(`read-only method ${method} tried to record a change`);
        return recordChange(writable(sqlite), entity, entityId, op, officeId ?? loadOffice()?.id ?? null, clock().toISOString());
      },
      changes: (entity, entityIds, op, officeId) => {
        if (!spec.write) throw new Error(`read-only method ${method} tried to record changes`);
        return recordChanges(writable(sqlite), entity, entityIds, op, officeId ?? loadOffice()?.id ?? null, clock().toISOString());
      },
      services,
      ...(job ? { job: job.control } : {}),
    });

    if (lockFree) return handler(parsed.data, noDatabase(makeCtx()));
    if (!spec.write) return handler(parsed.data, makeCtx());
    // Found damaged by the start-up check (run in the background): nothing more is written into it.
    if (health.damage && !DAMAGED_DATABASE_WRITES.has(method)) throw health.damage;

    const flushAudit = () => {
      const at = clock().toISOString();
      const base = {
        at,
        actor_kind: actor.kind,
        actor_id: actor.kind === 'user' ? actor.userId : null,
        actor_name: shownName,
        method,
      } as const;
      const rows: AuditRow[] = (audits.length ? audits : [{}]).map((a) => ({
        ...base,
        entity: a.entity ?? null,
        entity_id: a.entityId ?? null,
        changes: a.changes && Object.keys(a.changes).length ? JSON.stringify(a.changes) : null,
      }));
      appendAudit(sqlite, rows);
    };

    let committedError: AppError | null = null;
    let value: unknown;
    try {
      // BEGIN IMMEDIATE, not Kysely's deferred BEGIN: the write lock is taken (or waited for, up to the busy
      // timeout) before the handler reads anything. A deferred transaction that read first and then wrote
      // failed with SQLITE_BUSY ("database is locked") whenever another process (the CLI, a second window,
      // an import) committed in between: SQLite cannot wait out that case, it can only refuse it.
      await db.connection().execute(async () => {
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          try {
            value = await handler(parsed.data, makeCtx());
          } catch (e) {
            if (e instanceof AppError && e.commit) {
              committedError = e;
            } else throw e;
          }
          flushAudit();
          sqlite.exec('COMMIT');
        } catch (e) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw e;
        }
      });
    } catch (e) {
      officeCache = undefined; // a rolled-back setup must not leave a cached office
      throw e;
    }
    if (committedError) throw committedError;
    // A good backup put back (checked by integrity_check before it replaced the file): the damage is gone.
    if (RESTORE_METHODS.has(method) && health.damage) {
      health.damage = null;
      health.state = 'ok';
    }
    return value;
  }

  async function call<M extends MethodName>(method: M, input: unknown, o: CallOptions = {}): Promise<Result<MethodOutput<M>>> {
    const run = async () => {
      let finishJob: ((error: unknown) => void) | null = null;
      try {
        const value = (await dispatch(method, input, o, (f) => (finishJob = f))) as MethodOutput<M>;
        // Done once committed: a poll never sees 'done' for work that could still roll back.
        (finishJob as ((error: unknown) => void) | null)?.(null);
        return { ok: true as const, value };
      } catch (e) {
        (finishJob as ((error: unknown) => void) | null)?.(e);
        if (e instanceof AppError) return { ok: false as const, error: e.toPayload() };
        // Triggers refuse some writes with RAISE(ABORT, 'feature.code: explanation'): give the code, not a crash.
        const sqliteCode = (e as { code?: string })?.code;
        const raised = /^([a-z_]+\.[a-z_]+):/.exec((e as Error)?.message ?? '');
        if (raised && typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
          return { ok: false as const, error: { code: raised[1], params: { method } } };
        }
        const ref = uuidv7().slice(-12);
        logger.error('unexpected error', { method, ref, error: (e as Error)?.stack ?? String(e) });
        return { ok: false as const, error: { code: 'internal.unexpected', params: { ref } } };
      }
    };
    // Lock-free methods (jobs.progress, jobs.cancel) are not queued behind the running call.
    return isMethodName(method) && contract[method].lockFree === true ? run() : mutex.run(run);
  }

  return {
    call,
    async invoke(method, input, o) {
      const r = await call(method, input, o);
      if (!r.ok) throw AppError.fromPayload(r.error);
      return r.value;
    },
    sqlite,
    db,
    dbPath: opts.dbPath,
    encrypted: secret !== null,
    migration,
    clock,
    outbox,
    health,
    checkInBackground: (o) => checkInBackground({ dbPath: opts.dbPath, databaseSecret: secret, health }, { ...o, nativeBinding: opts.nativeBinding }),
    async close() {
      await mutex.run(async () => {
        await db.destroy();
        // Kysely closes the connection only if it ever ran a query through it; handlers that use
        // ctx.sqlite alone would leave it open (and the WAL un-checkpointed).
        if (sqlite.open) sqlite.close();
        // The file as this clean close left it: the next start of the window skips its integrity check. Not for a
        // database found damaged (it stays to be checked until a good backup is back), nor while the check of an
        // unclean start has not finished (it has not vouched for the file yet: the next start checks it again).
        if (!health.damage && health.state !== 'running') recordCleanClose(opts.dbPath, clock());
      });
      outbox.dispose();
    },
  };
}
