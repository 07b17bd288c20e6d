import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../src-main/shared/api/contract';
import { api } from '../api/client';
import { errorText } from './errors';
import { useLiveChanges, type LiveTopic } from './live';

/**
 * The renderer's data hooks (issue 18): a screen asks for a method's result or runs an action through these,
 * instead of writing its own `useEffect` + `api.call` + loading and error state. Errors arrive translated
 * (`errorText`); a query marked `live` reloads when the registry changes (`useLiveChanges`). Each feature wraps
 * them in its own small hooks (`features/<feature>/<feature>.data.ts`) that name what the screen needs.
 */

export interface ApiQuery<T> {
  /** The last result (kept while a reload runs, and after a failed reload). */
  data: T | null;
  /** The translated message of the last failure, null after a success. */
  error: string | null;
  /** True while a call is running. */
  loading: boolean;
  /** Calls again with the current input; resolves when done (never rejects: the failure goes to `error`). */
  reload: () => Promise<void>;
  /** Replaces the data in hand (after a write that returned the new value). */
  setData: (d: T | null) => void;
}

export interface QueryOptions {
  /**
   * Reload whenever anyone saves (screens that show registry data; see lib/live.ts): `true` on any change, or only
   * when one of the listed tables (or records) changed.
   */
  live?: boolean | readonly LiveTopic[];
  /** Keep the last failure's message on screen until the next success (default), or clear it when a call starts. */
  clearErrorOnLoad?: boolean;
  /** Start the first call only when this is true (default true). */
  enabled?: boolean;
}

/**
 * The result of a read method for `input`, loaded when the screen mounts and again whenever `input` changes
 * (compared by value). Pass `null` as input to wait (nothing is called).
 */
export function useApiQuery<M extends MethodName>(method: M, input: MethodInput<M> | null, opts: QueryOptions = {}): ApiQuery<MethodOutput<M>> {
  const [data, setData] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(input !== null && opts.enabled !== false);
  const key = input === null ? null : JSON.stringify(input);
  const inputRef = useRef(input);
  inputRef.current = input;
  const clearError = opts.clearErrorOnLoad ?? false;
  // The number of the latest call: an older answer arriving after a newer call started is dropped.
  const seq = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    // `key` is the input compared by value: a new object with the same content does not call again.
    const current = inputRef.current;
    if (key === null || current === null) return;
    const n = ++seq.current;
    setLoading(true);
    if (clearError) setError(null);
    try {
      const r = await api.call(method, current);
      if (!mounted.current || n !== seq.current) return;
      setData(r);
      setError(null);
    } catch (e) {
      if (!mounted.current || n !== seq.current) return;
      setError(errorText(e));
    } finally {
      if (mounted.current && n === seq.current) setLoading(false);
    }
  }, [method, key, clearError]);

  const enabled = opts.enabled !== false;
  useEffect(() => {
    if (enabled) void load();
  }, [load, enabled]);
  useLiveChanges(() => void load(), Boolean(opts.live) && enabled && key !== null, Array.isArray(opts.live) ? opts.live : undefined);

  return { data, error, loading, reload: load, setData };
}

export interface ApiAction {
  /** True while an action runs (buttons show a spinner, forms are disabled). */
  busy: boolean;
  /** The translated message of the last failed action, null after a success or `clear()`. */
  error: string | null;
  /**
   * Runs `fn` (one or more api calls): sets `busy`, clears then sets `error`. Resolves to `fn`'s result, or to
   * `undefined` when it failed (the failure is in `error`, already translated).
   */
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  /** Shows a message of the screen's own (a check made before calling), or clears it. */
  setError: (message: string | null) => void;
  clear: () => void;
}

/** The state of a screen's actions (writes, downloads): busy flag and translated error, one place. */
export function useApiAction(): ApiAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      if (mounted.current) setError(errorText(e));
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, setError, clear };
}

/** One write method as an action: `mutate(input)` resolves to the result, or undefined when it failed. */
export function useApiMutation<M extends MethodName>(method: M) {
  const action = useApiAction();
  const { run } = action;
  const mutate = useCallback((input: MethodInput<M>) => run(() => api.call(method, input)), [run, method]);
  return { ...action, mutate };
}
