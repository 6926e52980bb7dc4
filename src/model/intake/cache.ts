// Extracted documents cached by the SHA-256 of the file's bytes, so a scan is recognised once:
// one JSON file per document in a folder the caller chooses (the CLI: userCacheDir(); the editor:
// its global storage). A cache file that cannot be read or does not hold a document is ignored
// and rewritten; writes are atomic, so a crash never leaves half a file.
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/files';
import type { ExtractedDocument } from './document';

/** Bumped whenever extraction changes what it produces, so older cache files are not used. */
export const INTAKE_VERSION = 12;

/**
 * The user's cache folder for Entity Lens: $ENTITY_LENS_CACHE_DIR, else $XDG_CACHE_HOME/entity-lens,
 * else ~/.cache/entity-lens (on Windows %LOCALAPPDATA%\entity-lens\cache, on macOS ~/Library/Caches/entity-lens).
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ENTITY_LENS_CACHE_DIR) return path.resolve(env.ENTITY_LENS_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'entity-lens');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'entity-lens', 'cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'entity-lens');
  return path.join(os.homedir(), '.cache', 'entity-lens');
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function cacheFile(dir: string, hash: string, variant: string): string {
  return path.join(dir, 'intake', `${hash}.v${INTAKE_VERSION}${variant}.json`);
}

/** The cached extraction of the file with this hash, or undefined. */
export async function readCachedDocument(
  dir: string,
  hash: string,
  variant = '',
): Promise<ExtractedDocument | undefined> {
  let raw: string;
  try {
    raw = await fsp.readFile(cacheFile(dir, hash, variant), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const doc = JSON.parse(raw) as ExtractedDocument;
    const ok =
      doc.sha256 === hash &&
      typeof doc.text === 'string' &&
      Array.isArray(doc.pages) &&
      Array.isArray(doc.parts) &&
      Array.isArray(doc.layout?.boxes) &&
      Array.isArray(doc.layout?.pages) &&
      doc.layout.boxes.every((b) => b.end <= doc.text.length);
    return ok ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an extraction; a cache that cannot be written is not an error (the document was read). */
export async function writeCachedDocument(dir: string, doc: ExtractedDocument, variant = ''): Promise<boolean> {
  try {
    const file = cacheFile(dir, doc.sha256, variant);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(doc));
    return true;
  } catch {
    return false;
  }
}
