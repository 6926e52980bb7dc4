// Which model produced a result: its name and version from model.json and one content hash of
// the whole folder, so results from thousands of machines can be traced to the exact weights.
// The hash covers each model file present (weights.bin, vocab.json, model.onnx; their SHA-256 is
// taken from model.json's "files" record when it has one, else computed) and model.json itself
// without that record, so recording the hashes later does not change a model's identity.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../io/files';

export interface ModelIdentity {
  name: string;
  version: string;
  /** "sha256:" and 64 hex digits */
  hash: string;
}

/** The model files besides model.json that the hash covers, in this order. */
export const IDENTITY_FILES = ['weights.bin', 'vocab.json', 'model.onnx'] as const;

/** SHA-256 of a file, read in chunks (weights.bin of a large model need not fit twice in memory). */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A recorded digest, if model.json's "files" has a well-formed one for `name`. */
function recordedSha256(files: unknown, name: string): string | undefined {
  if (typeof files !== 'object' || files === null) return undefined;
  const entry = (files as Record<string, unknown>)[name];
  const sha = typeof entry === 'object' && entry !== null ? (entry as { sha256?: unknown }).sha256 : undefined;
  return typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? sha : undefined;
}

/**
 * The name, version and content hash of the model folder `dir` (reads model.json, hashes the
 * rest). `also`: further files whose content the result depends on (a command's field chooser),
 * hashed in by their base name, so results made with another one are not taken as the same.
 */
export async function modelIdentity(dir: string, also: readonly string[] = []): Promise<ModelIdentity> {
  const manifestPath = path.join(dir, 'model.json');
  let manifest: Record<string, unknown>;
  try {
    const parsed = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    manifest = parsed as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`${manifestPath}: cannot read the model's name and version (${(e as Error).message}).`);
  }
  const { files, ...described } = manifest;
  const parts = [`model.json ${createHash('sha256').update(JSON.stringify(described)).digest('hex')}`];
  for (const name of IDENTITY_FILES) {
    const file = path.join(dir, name);
    const present = await fs.stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!present) continue;
    parts.push(`${name} ${recordedSha256(files, name) ?? (await fileSha256(file))}`);
  }
  for (const file of also) parts.push(`${path.basename(file)} ${await fileSha256(file)}`);
  return {
    name: typeof manifest.name === 'string' ? manifest.name : path.basename(path.resolve(dir)),
    version: typeof manifest.version === 'string' ? manifest.version : 'unknown',
    hash: `sha256:${createHash('sha256').update(parts.join('\n')).digest('hex')}`,
  };
}
