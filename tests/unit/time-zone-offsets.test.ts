// system.timeZone: the backend gives the renderer the office zone's offsets (docs/FORMAT.md), before login too.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore } from '../helpers/core';
import { clearZoneOffsets, installZoneOffsets, wallClock } from '../../src-main/shared/time';
import { formatDateTime } from '../../src-main/shared/format';

describe('system.timeZone', () => {
  const core = tempCore({ clock: () => new Date('2026-12-02T12:42:00Z') });
  afterAll(() => core.dispose());
  afterEach(() => clearZoneOffsets());

  it('answers anyone (the login screen needs it) with the Casablanca offsets from 2018 to 2060, as Node reads them', async () => {
    const anonymous = await core.invoke('system.timeZone', {});
    expect(anonymous.zone).toBe('Africa/Casablanca');
    expect(anonymous.from).toBe(Date.UTC(2018, 0, 1));
    expect(anonymous.to).toBe(Date.UTC(2060, 0, 1));
    // Plain JSON (what crosses the web bridge): numbers only.
    expect(JSON.parse(JSON.stringify(anonymous))).toEqual(anonymous);
    const { token } = await setupOffice(core);
    const t = await core.invoke('system.timeZone', {}, { token });
    expect(t).toEqual(anonymous);
    // Installed as the renderer does, the table gives what the engine gives, at the instant and around Ramadan.
    const samples = ['2026-12-02T12:42:00Z', '2026-02-15T01:59:59Z', '2026-02-15T02:00:00Z', '2026-03-22T01:59:59Z', '2026-03-22T02:00:00Z', '2040-07-01T00:00:00Z'];
    const engine = samples.map((s) => wallClock(s));
    installZoneOffsets(t);
    expect(samples.map((s) => wallClock(s))).toEqual(engine);
    expect(formatDateTime('2026-12-02T12:42:00Z')).toBe('02/12/2026 13:42');
  });
});
