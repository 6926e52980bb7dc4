// What kind of file intake was given, from its first bytes, and an image's size from its header
// (PNG IHDR, JPEG SOF, TIFF first IFD), so a huge or empty image is refused before any pixel is
// decoded. File names are never trusted: a .pdf that holds a JPEG is read as a JPEG.
import type { FileKind } from './document';

const EXTENSIONS: Record<string, FileKind> = {
  '.pdf': 'pdf',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.tif': 'tiff',
  '.tiff': 'tiff',
};

/** The file name extensions intake reads (lower case, with the dot). */
export const INTAKE_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

/** Whether a file name asks for intake (a PDF or an image) rather than plain text. */
export function isIntakePath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && Object.prototype.hasOwnProperty.call(EXTENSIONS, path.slice(dot).toLowerCase());
}

/** The kind of a file by its magic bytes, or undefined. A PDF header may follow up to 1 KB of junk. */
export function sniffKind(bytes: Uint8Array): FileKind | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return undefined;
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

export interface ImageSize {
  width: number;
  height: number;
  /** TIFF: the number of pages (IFDs) */
  pages?: number;
}

/** Width and height from an image's header, or undefined when the header is cut off or invalid. */
export function imageSize(bytes: Uint8Array, kind: FileKind): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (kind === 'png') {
      // signature (8), IHDR length (4), "IHDR" (4), width, height
      if (bytes.length < 24 || Buffer.from(bytes.subarray(12, 16)).toString('latin1') !== 'IHDR') return undefined;
      return positive({ width: view.getUint32(16), height: view.getUint32(20) });
    }
    if (kind === 'jpeg') return jpegSize(bytes, view);
    if (kind === 'tiff') return tiffSize(view);
  } catch {
    // a RangeError from a header that ends early
  }
  return undefined;
}

function positive(s: ImageSize): ImageSize | undefined {
  return s.width > 0 && s.height > 0 ? s : undefined;
}

/** Walks the JPEG markers to the first start-of-frame. */
function jpegSize(bytes: Uint8Array, view: DataView): ImageSize | undefined {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = view.getUint16(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return positive({ height: view.getUint16(i + 5), width: view.getUint16(i + 7) });
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data before any frame header
    i += 2 + length;
  }
  return undefined;
}

/** The first IFD's ImageWidth (256) and ImageLength (257), and the number of IFDs. */
function tiffSize(view: DataView): ImageSize | undefined {
  const little = view.getUint8(0) === 0x49;
  const u16 = (o: number): number => view.getUint16(o, little);
  const u32 = (o: number): number => view.getUint32(o, little);
  let ifd = u32(4);
  let size: ImageSize | undefined;
  let pages = 0;
  const seen = new Set<number>();
  while (ifd !== 0 && !seen.has(ifd) && pages < 10_000) {
    seen.add(ifd);
    pages++;
    const count = u16(ifd);
    if (size === undefined) {
      let width = 0;
      let height = 0;
      for (let k = 0; k < count; k++) {
        const entry = ifd + 2 + 12 * k;
        const tag = u16(entry);
        const type = u16(entry + 2);
        const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
        if (tag === 256) width = value;
        if (tag === 257) height = value;
      }
      size = positive({ width, height });
      if (size === undefined) return undefined;
    }
    ifd = u32(ifd + 2 + 12 * count);
  }
  return size && { ...size, pages };
}
