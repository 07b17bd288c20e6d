import { inflateSync } from 'node:zlib';

/** Decodes the 8-bit greyscale (or RGB, converted) non-interlaced PNGs that pdftoppm writes: enough for image comparisons in tests. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodePng(buf: Buffer): GrayImage {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colour = data[9];
      if (data[12] !== 0) throw new Error('interlaced PNG not supported');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = colour === 0 ? 1 : colour === 2 ? 3 : colour === 4 ? 2 : colour === 6 ? 4 : 0;
  if (depth !== 8 || !channels) throw new Error(`unsupported PNG (depth ${depth}, colour ${colour})`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels] : 0;
      const b = prev ? prev[x] : 0;
      const c = prev && x >= channels ? prev[x - channels] : 0;
      let v = src[x];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = v & 0xff;
    }
  }
  if (channels === 1) return { width, height, data: out };
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    gray[i] = channels >= 3 ? Math.round(0.299 * out[p] + 0.587 * out[p + 1] + 0.114 * out[p + 2]) : out[p];
  }
  return { width, height, data: gray };
}

/**
 * Compares two renderings tolerantly: both are blurred by averaging 3×3 neighbourhoods (anti-aliasing and
 * sub-pixel shifts fade out), then the share of pixels that still differ by more than `threshold` is returned.
 */
export function diffRatio(a: GrayImage, b: GrayImage, threshold = 64): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  const blur = (img: GrayImage) => {
    const o = new Float32Array(img.width * img.height);
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++) {
        let s = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || xx < 0 || yy >= img.height || xx >= img.width) continue;
            s += img.data[yy * img.width + xx];
            n++;
          }
        o[y * img.width + x] = s / n;
      }
    return o;
  };
  const ba = blur(a);
  const bb = blur(b);
  let bad = 0;
  for (let i = 0; i < ba.length; i++) if (Math.abs(ba[i] - bb[i]) > threshold) bad++;
  return bad / ba.length;
}
