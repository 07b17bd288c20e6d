import { useSyncExternalStore } from 'react';

/**
 * A small hash router (`#/applicants/ID`): the page is served from a file (Electron) or from the
 * web bridge with its key in the query string, so the path part of the URL is left alone.
 */
function read(): string[] {
  const h = window.location.hash.replace(/^#\/?/, '');
  return h
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

let segments = read();
const listeners = new Set<() => void>();
window.addEventListener('hashchange', () => {
  segments = read();
  for (const l of listeners) l();
});

export function useRoute(): string[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => segments,
  );
}

export function navigate(...parts: string[]) {
  const h = '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
  if (window.location.hash !== h) window.location.hash = h;
}

export function href(...parts: string[]): string {
  return '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
}
