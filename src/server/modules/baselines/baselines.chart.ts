/**
 * A bar chart drawn straight into a PNG, with no canvas and no font files: one bar per value from 0 to 100,
 * coloured like the heat map, on grid lines at every 25, with the labels and values written in a small bitmap
 * font. Used for the chart of the DOCX report.
 */
import { deflateSync } from 'node:zlib';

/** The heat map's colour as RRGGBB: red at 0 %, amber half way, green at 100 %; grey when nothing applies. */
export function heatColor(score: number | null): string {
  if (score === null) return 'E9ECEF';
  const hue = (score / 100) * 120;
  // HSL(hue, 70 %, 75 %) to RGB: light enough to read black text on.
  const s = 0.7;
  const l = 0.75;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0), f(8), f(4)]
    .map((x) =>
      Math.round(x * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGB pixels (3 bytes each, row by row) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const hex = (c: string): [number, number, number] => [
  Number.parseInt(c.slice(0, 2), 16),
  Number.parseInt(c.slice(2, 4), 16),
  Number.parseInt(c.slice(4, 6), 16),
];

// A 5 × 7 bitmap font for what the chart writes: function ids, numbers and the percent sign.
const GLYPHS: Record<string, string> = {
  '0': '01110100011001110101110011000101110',
  '1': '00100011000010000100001000010001110',
  '2': '01110100010000100010001000100011111',
  '3': '11110000010000101110000010000111110',
  '4': '00010001100101010010111110001000010',
  '5': '11111100001111000001000011000101110',
  '6': '00110010001000011110100011000101110',
  '7': '11111000010001000100010000100001000',
  '8': '01110100011000101110100011000101110',
  '9': '01110100011000101111000010001001100',
  '%': '11001110100001000100010000101110011',
  '-': '00000000000000011111000000000000000',
  C: '01110100011000010000100001000101110',
  D: '11110100011000110001100011000111110',
  E: '11111100001000011110100001000011111',
  G: '01110100011000010111100011000101111',
  I: '01110001000010000100001000010001110',
  P: '11110100011000111110100001000010000',
  R: '11110100011000111110101001001010001',
  S: '01111100001000001110000010000111110',
  V: '10001100011000110001100010101000100',
};

type Rgb = [number, number, number];

/** Bars for values 0–100 (null: a thin grey stub), left to right, with their labels and values written in. */
export function barChartPng(
  values: (number | null)[],
  labels: string[] = [],
  width = 600,
  height = 300,
): { png: Buffer; width: number; height: number } {
  const px = new Uint8Array(width * height * 3).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 3;
        px[i] = r;
        px[i + 1] = g;
        px[i + 2] = b;
      }
    }
  };
  const scale = 2;
  const textWidth = (text: string) => text.length * 6 * scale - scale;
  // Writes text with its top-left corner at (x, y); characters without a glyph are left as a gap.
  const write = (text: string, x: number, y: number, colour: Rgb) => {
    [...text.toUpperCase()].forEach((ch, n) => {
      const glyph = GLYPHS[ch];
      if (!glyph) return;
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 5; col++) {
          if (glyph[row * 5 + col] !== '1') continue;
          const gx = x + (n * 6 + col) * scale;
          const gy = y + row * scale;
          fill(gx, gy, gx + scale, gy + scale, colour);
        }
      }
    });
  };
  const left = 64;
  const right = width - 16;
  const top = 34;
  const bottom = height - 34;
  const plot = bottom - top;
  const grey: Rgb = [90, 90, 90];
  for (let q = 0; q <= 4; q++) {
    const y = Math.round(bottom - (plot * q) / 4);
    fill(left, y, right, y + 1, q === 0 ? [80, 80, 80] : [215, 215, 215]);
    const label = `${q * 25}%`;
    write(label, left - 8 - textWidth(label), y - 7, grey);
  }
  const slot = (right - left) / values.length;
  values.forEach((v, i) => {
    const x0 = Math.round(left + i * slot + slot * 0.2);
    const x1 = Math.round(left + (i + 1) * slot - slot * 0.2);
    const centre = (x0 + x1) / 2;
    const label = labels[i];
    if (label) write(label, Math.round(centre - textWidth(label) / 2), bottom + 10, [40, 40, 40]);
    if (v === null) {
      fill(x0, bottom - 2, x1, bottom, [170, 170, 170]);
      write('-', Math.round(centre - textWidth('-') / 2), bottom - 24, grey);
      return;
    }
    const h = Math.round((plot * Math.max(0, Math.min(100, v))) / 100);
    const colour = hex(heatColor(v));
    // A darker outline so light bars stand out on white.
    const edge = colour.map((c) => Math.round(c * 0.7)) as Rgb;
    fill(x0, bottom - h, x1, bottom, edge);
    fill(x0 + 1, bottom - h + 1, x1 - 1, bottom, colour);
    const value = `${Math.round(v)}%`;
    write(value, Math.round(centre - textWidth(value) / 2), bottom - h - 20, [40, 40, 40]);
  });
  return { png: encodePng(width, height, px), width, height };
}
