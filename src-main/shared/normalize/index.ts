/** Normalisation shared by the core, the renderer and the Excel import (pure TypeScript, no Node imports). */
export * from './digits';
export * from './cin';
export * from './phone';
export * from './dates';
export * from './names';
