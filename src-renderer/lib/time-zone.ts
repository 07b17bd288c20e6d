/**
 * The office time zone's offsets, from the backend (docs/FORMAT.md): the browser's own zone data may be old (Debian's
 * Chromium puts Casablanca an hour behind after 2025), so every instant the renderer writes in local time goes through
 * the offsets Node computed (`system.timeZone`), installed in the shared time module before the first screen.
 */
import { installZoneOffsets } from '../../src-main/shared/time';
import { api } from '../api/client';

let installed = false;

/** Fetch and install the offsets once; on failure the engine's data answers until the next try (after login). */
export async function loadOfficeTimeZone(): Promise<void> {
  if (installed) return;
  try {
    installZoneOffsets(await api.call('system.timeZone', {}, { silent: true }));
    installed = true;
  } catch {
    // Not fatal: boot goes on; loadOfficeTimeZone is tried again when someone logs in.
  }
}
