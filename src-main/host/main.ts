/**
 * Entry of the Electron main process (bundled to dist-electron/main.cjs by scripts/build-electron.mjs).
 * All the work is in app.ts, written against parameters so it is tested without Electron.
 */
import * as electron from 'electron';
import { startApp } from './app';

startApp(electron, { argv: process.argv, env: process.env, mainDir: __dirname });
