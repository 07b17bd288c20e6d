import type { Core } from '../core';
import { silentLogger, type Actor, type Logger } from '../context';
import { readBackupConfig, storedPassphrase } from './backup';
import { readable } from '../db/handles';
import { installation } from '../system/system.repo';
import { lastSuccessfulBackupAt } from './security.repo';

const DAY_MS = 24 * 60 * 60 * 1000;

export type AutoTrigger = 'start' | 'exit' | 'daily';

/**
 * Automatic backups for the hosts (the Electron main process and the web bridge): at start, at exit,
 * and daily (checked every `checkEveryMs`; a backup is taken when the last good one is a day old).
 * Runs only when a folder and a passphrase are configured (backup.updateSettings). Backups go through
 * core.call('backup.create') — so they wait their turn behind other calls — as the in-process trusted
 * door; the audit trail records them as `system:backup-scheduler`. Never throws: failures are logged and
 * recorded in backup_runs (the settings screen shows the last run).
 */
export class BackupScheduler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> | null = null;
  private readonly actor: Actor = { kind: 'cli', osUser: 'backup-scheduler' };

  constructor(
    private readonly core: Core,
    private readonly opts: { logger?: Logger; checkEveryMs?: number } = {},
  ) {}

  private get logger(): Logger {
    return this.opts.logger ?? silentLogger;
  }

  /** Whether automatic backups can run, and which triggers are on. */
  status(): { ready: boolean; atStart: boolean; atExit: boolean; daily: boolean } {
    try {
      const db = readable(this.core.sqlite);
      const setUp = !!installation(db);
      if (!setUp) return { ready: false, atStart: false, atExit: false, daily: false };
      const cfg = readBackupConfig(db);
      const ready = !!cfg.folder && storedPassphrase(db) !== null;
      return { ready, atStart: cfg.atStart, atExit: cfg.atExit, daily: cfg.daily };
    } catch (e) {
      this.logger.warn('backup scheduler cannot read its settings', { error: String(e) });
      return { ready: false, atStart: false, atExit: false, daily: false };
    }
  }

  /** Takes one automatic backup now; returns the outcome (null when not configured). */
  async run(trigger: AutoTrigger): Promise<{ ok: boolean; path?: string; error?: string } | null> {
    if (!this.status().ready) return null;
    const p = this.core.call('backup.create', { trigger }, { actor: this.actor }).then((r) => {
      if (r.ok) {
        this.logger.info('automatic backup', { trigger, path: r.value.path });
        return { ok: true, path: r.value.path };
      }
      this.logger.warn('automatic backup failed', { trigger, error: r.error.code });
      return { ok: false, error: r.error.code };
    });
    this.running = p;
    try {
      return await p;
    } finally {
      if (this.running === p) this.running = null;
    }
  }

  /** The start-up backup (call after checkDatabaseAtStart succeeded and the core is open). */
  async atStart() {
    const s = this.status();
    return s.ready && s.atStart ? this.run('start') : null;
  }

  /** The time of the last successful backup, or null. */
  lastSuccess(): Date | null {
    const at = lastSuccessfulBackupAt(readable(this.core.sqlite));
    return at ? new Date(at) : null;
  }

  /** One check of the daily rule (the timer calls it; tests call it with an injected clock). */
  async tick() {
    const s = this.status();
    if (!s.ready || !s.daily || this.running) return null;
    const last = this.lastSuccess();
    if (last && this.core.clock().getTime() - last.getTime() < DAY_MS) return null;
    return this.run('daily');
  }

  startDaily(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.opts.checkEveryMs ?? 15 * 60 * 1000);
    this.timer.unref?.();
  }

  /** Stops the timer and takes the exit backup (call before core.close()). */
  async atExit() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
    const s = this.status();
    return s.ready && s.atExit ? this.run('exit') : null;
  }
}
