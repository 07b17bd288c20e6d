import { deflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type QRCodeModule from 'qrcode';
import { projectRoot } from '../paths';

// qrcode is loaded on the first code drawn, not at start-up.
const req = createRequire(join(projectRoot(), 'package.json'));
let QRCode: typeof QRCodeModule | undefined;

/**
 * The QR code as a small 8-bit greyscale PNG (no alpha: pdfkit embeds it as is, without splitting a mask),
 * `scale` pixels per module and the 4-module quiet zone that scanners need.
 *
 * The text is ASCII (base64url and dots), encoded as one byte segment with error correction M. The mask is
 * fixed: the standard's search for the best of eight masks cost 5 ms a code, a tenth of a page, and any mask
 * is valid for every reader (the tests read the codes back with zbarimg).
 */
export function qrPng(text: string, scale = 4): Buffer {
  QRCode ??= req('qrcode') as typeof QRCodeModule;
  const qr = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: 2 } as QRCodeModule.QRCodeOptions);
  const n = qr.modules.size;
  const quiet = 4;
  const size = (n + 2 * quiet) * scale;
  const stride = size + 1;
  const raw = Buffer.alloc(stride * size, 0xff);
  for (let y = 0; y < size; y++) raw[y * stride] = 0; // filter: none
  const row = Buffer.alloc(stride, 0xff);
  for (let my = 0; my < n; my++) {
    row.fill(0xff);
    row[0] = 0;
    for (let mx = 0; mx < n; mx++) if (qr.modules.get(my, mx)) row.fill(0, 1 + (mx + quiet) * scale, 1 + (mx + quiet + 1) * scale);
    for (let k = 0; k < scale; k++) row.copy(raw, ((my + quiet) * scale + k) * stride);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td), 0);
  return Buffer.concat([len, td, crc]);
}
