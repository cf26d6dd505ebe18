/**
 * Decoding one PNG or TIFF file into its pixel values: 8- or 16-bit, grey,
 * grey + alpha, RGB or RGBA (palette PNGs expanded to RGB/RGBA), channels
 * interleaved as the file stores them. PNG through fast-png, TIFF through
 * utif2 (uncompressed, LZW, Deflate, PackBits; either byte order; the first
 * image of the file). Anything else (1/2/4-bit, float samples, CMYK,
 * palette TIFF) is a clear error naming the file.
 */
import { readFileSync } from 'node:fs';
import { decode as decodePng, convertIndexedToRgb, hasPngSignature } from 'fast-png';
import UTIF from 'utif2';

export interface DecodedImage {
  path: string;
  format: 'png' | 'tiff';
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA */
  channels: number;
  bitDepth: 8 | 16;
  /** height × width × channels, row-major, channels interleaved */
  data: Uint8Array | Uint16Array;
}

export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];

function startsWith(b: Uint8Array, sig: number[]): boolean {
  return b.length >= sig.length && sig.every((v, i) => b[i] === v);
}

export function decodeImageBytes(path: string, bytes: Uint8Array): DecodedImage {
  if (hasPngSignature(bytes)) return decodePngImage(path, bytes);
  if (startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE)) return decodeTiffImage(path, bytes);
  throw new ImageDecodeError(path, 'not a PNG or TIFF image (no PNG or TIFF signature)');
}

export function decodeImageFile(path: string): DecodedImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ImageDecodeError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return decodeImageBytes(path, bytes);
}

function decodePngImage(path: string, bytes: Uint8Array): DecodedImage {
  let png;
  try {
    png = decodePng(bytes);
  } catch (err) {
    throw new ImageDecodeError(path, `unreadable PNG (${err instanceof Error ? err.message : String(err)})`);
  }
  let data = png.data;
  let channels = png.channels;
  let depth = png.depth;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.transparency ? 4 : 3;
    depth = 8;
  }
  if (depth !== 8 && depth !== 16) throw new ImageDecodeError(path, `${depth}-bit PNGs are not supported (8 or 16 bit)`);
  if (!(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Uint8ClampedArray))
    throw new ImageDecodeError(path, 'unexpected PNG sample type');
  const typed = data instanceof Uint8ClampedArray ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data;
  if (typed.length !== png.width * png.height * channels)
    throw new ImageDecodeError(path, `the PNG decoded to ${typed.length} samples, expected ${png.width}×${png.height}×${channels}`);
  return { path, format: 'png', width: png.width, height: png.height, channels, bitDepth: depth, data: typed };
}

function tag(ifd: UTIF.IFD, id: number): number[] | undefined {
  const v = ifd[`t${id}`];
  return Array.isArray(v) ? (v as number[]) : undefined;
}

function decodeTiffImage(path: string, bytes: Uint8Array): DecodedImage {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifd: UTIF.IFD;
  try {
    const ifds = UTIF.decode(buffer);
    if (!ifds.length) throw new Error('no image in the file');
    ifd = ifds[0];
    UTIF.decodeImage(buffer, ifd);
  } catch (err) {
    throw new ImageDecodeError(path, `unreadable TIFF (${err instanceof Error ? err.message : String(err)})`);
  }
  const width = ifd.width;
  const height = ifd.height;
  const bits = tag(ifd, 258) ?? [1];
  const channels = (tag(ifd, 277) ?? [1])[0];
  const photometric = (tag(ifd, 262) ?? [1])[0];
  const sampleFormat = (tag(ifd, 339) ?? [1])[0];
  const depth = bits[0];
  if (!bits.every((b) => b === depth) || (depth !== 8 && depth !== 16))
    throw new ImageDecodeError(path, `${bits.join('/')}-bit TIFF samples are not supported (8 or 16 bit)`);
  if (sampleFormat !== 1) throw new ImageDecodeError(path, `TIFF sample format ${sampleFormat} is not supported (unsigned integers only)`);
  if (!(photometric === 1 || photometric === 2) || channels < 1 || channels > 4) {
    throw new ImageDecodeError(path, `TIFF photometric interpretation ${photometric} with ${channels} samples per pixel is not supported (grey or RGB/RGBA)`);
  }
  if ((tag(ifd, 284) ?? [1])[0] === 2 && channels > 1) throw new ImageDecodeError(path, 'planar TIFF (separate colour planes) is not supported');
  const raw = ifd.data;
  const n = width * height * channels;
  if (raw.length < n * (depth / 8)) throw new ImageDecodeError(path, `the TIFF decoded to ${raw.length} bytes, expected ${n * (depth / 8)}`);
  if (depth === 8) return { path, format: 'tiff', width, height, channels, bitDepth: 8, data: Uint8Array.from(raw.subarray(0, n)) };
  // utif2 hands 16-bit samples over little-endian whatever the file's byte order (tested with MM files)
  const data = new Uint16Array(n);
  for (let i = 0; i < n; i++) data[i] = raw[2 * i] | (raw[2 * i + 1] << 8);
  return { path, format: 'tiff', width, height, channels, bitDepth: 16, data };
}
