/** IPC channel names between the preload and the main process: one per bridge method, no generic channel. */
export const IPC_CHANNELS = {
  call: 'jisr:call',
  openFile: 'jisr:open-file',
  saveFile: 'jisr:save-file',
  pickFiles: 'jisr:pick-files',
  uploadFile: 'jisr:upload-file',
  mainPc: 'jisr:main-pc',
  printFile: 'jisr:print-file',
  pickFolder: 'jisr:pick-folder',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** Outbox ids are random base64url strings (core/files/outbox.ts). */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
