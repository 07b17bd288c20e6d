import type { Result } from '../errors';

/**
 * What the Electron preload exposes on `window.jisr` (and nothing else).
 * `call` accepts only method names of the contract (checked in the preload and again in the main process).
 * Files produced by methods (PDF, xlsx, exchange files) are referred to by outbox id.
 */
export interface JisrBridge {
  call(method: string, input: unknown, session?: string): Promise<Result<unknown>>;
  /** Opens a produced file in the system viewer (PDF preview, print). */
  openFile(fileId: string, session?: string): Promise<Result<{ opened: true }>>;
  /** Asks where to save a produced file and copies it there; null when cancelled. */
  saveFile(fileId: string, session?: string): Promise<Result<{ savedTo: string | null }>>;
  /** Asks for files to import (Excel, exchange files) and uploads them to the outbox; returns upload ids. Needs a logged-in session. */
  pickFiles(filters: { name: string; extensions: string[] }[], multiple: boolean, session?: string): Promise<Result<{ uploadId: string; name: string; size: number }[]>>;
  /** Puts the bytes of a file the page already holds (dropped on the window) into the outbox. Needs a logged-in session. */
  uploadFile(name: string, data: Uint8Array, session?: string): Promise<Result<{ uploadId: string; name: string; size: number }>>;
  /**
   * The office's main PC (issue 17), handled by the main process: {action:'status'} (this PC holds its data or is a
   * client of a main PC), and at first run {action:'probe', address} (the certificate's fingerprint to compare),
   * {action:'pair', address, fingerprint, code, name}; {action:'forget'} drops the pairing. Never the credential.
   */
  mainPc(request: unknown): Promise<Result<unknown>>;
  /** Prints a produced PDF with the system's print dialog (issue 15: a print button beside every PDF). */
  printFile(fileId: string, session?: string): Promise<Result<{ printed: boolean }>>;
  /** Asks for a folder with the system's folder dialog (removable drives offered first); null when cancelled. */
  pickFolder(): Promise<Result<{ folder: string | null }>>;
}

export const BRIDGE_KEYS = ['call', 'openFile', 'saveFile', 'pickFiles', 'uploadFile', 'mainPc', 'printFile', 'pickFolder'] as const;
