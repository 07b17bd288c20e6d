/**
 * The preload of the window (bundled to dist-electron/preload.cjs by scripts/build-electron.mjs).
 * It runs sandboxed: it may require 'electron' and nothing else, and it exposes window.jisr — the
 * typed bridge of shared/api/bridge.ts — and nothing else (no ipcRenderer, no generic invoke).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api';

contextBridge.exposeInMainWorld('jisr', buildPreloadApi(ipcRenderer));
