import { useCallback, useEffect, useRef, useState } from 'react';

const STORAGE = 'jisr.lockMinutes';
export const DEFAULT_LOCK_MINUTES = 10;

export function lockMinutes(): number {
  const n = Number(localStorage.getItem(STORAGE));
  return Number.isFinite(n) && n >= 1 && n <= 240 ? n : DEFAULT_LOCK_MINUTES;
}
export function setLockMinutes(n: number) {
  localStorage.setItem(STORAGE, String(n));
  window.dispatchEvent(new Event('jisr-lock-minutes'));
}

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Locks the screen after `lockMinutes()` without keyboard or pointer activity. */
export function useIdleLock() {
  const [locked, setLocked] = useState(false);
  const [minutes, setMinutes] = useState(lockMinutes);
  const last = useRef(Date.now());

  useEffect(() => {
    const onMinutes = () => setMinutes(lockMinutes());
    window.addEventListener('jisr-lock-minutes', onMinutes);
    return () => window.removeEventListener('jisr-lock-minutes', onMinutes);
  }, []);

  useEffect(() => {
    if (locked) return;
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    for (const ev of ACTIVITY) window.addEventListener(ev, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) setLocked(true);
    }, 1000);
    return () => {
      for (const ev of ACTIVITY) window.removeEventListener(ev, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [locked, minutes]);

  const unlock = useCallback(() => setLocked(false), []);
  return { locked, minutes, unlock };
}
