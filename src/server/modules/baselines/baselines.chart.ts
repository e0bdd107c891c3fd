/**
 * A bar chart drawn straight into a PNG (no canvas, no fonts): one bar per value from 0 to 100, coloured like
 * the heat map, on grid lines at every 25. Used for the chart of the DOCX report; the report's table and caption
 * carry the numbers and names.
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

/** Bars for values 0–100 (null: a thin grey stub), left to right. */
export function barChartPng(
  values: (number | null)[],
  width = 600,
  height = 300,
): { png: Buffer; width: number; height: number } {
  const px = new Uint8Array(width * height * 3).fill(255);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 3;
        px[i] = r;
        px[i + 1] = g;
        px[i + 2] = b;
      }
    }
  };
  const margin = 20;
  const top = margin;
  const bottom = height - margin;
  const plot = bottom - top;
  for (let q = 0; q <= 4; q++) {
    const y = Math.round(bottom - (plot * q) / 4);
    fill(margin, y, width - margin, y + 1, q === 0 ? [80, 80, 80] : [210, 210, 210]);
  }
  const slot = (width - 2 * margin) / values.length;
  values.forEach((v, i) => {
    const x0 = Math.round(margin + i * slot + slot * 0.2);
    const x1 = Math.round(margin + (i + 1) * slot - slot * 0.2);
    if (v === null) {
      fill(x0, bottom - 2, x1, bottom, [170, 170, 170]);
      return;
    }
    const h = Math.round((plot * Math.max(0, Math.min(100, v))) / 100);
    const colour = hex(heatColor(v));
    // A darker outline so light bars stand out on white.
    const edge = colour.map((c) => Math.round(c * 0.7)) as [number, number, number];
    fill(x0, bottom - h, x1, bottom, edge);
    fill(x0 + 1, bottom - h + 1, x1 - 1, bottom, colour);
  });
  return { png: encodePng(width, height, px), width, height };
}
