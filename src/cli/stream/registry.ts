// The commands that can run on a document stream, by name: worker threads (of `--workers N` and
// of the queue's `worker`) receive only a name and plain options, and look the command up here.
// A command plugs in by exporting a StreamCommand and adding it to this table.
import { fieldsStream } from '../commands/fields';
import { tagStream } from '../commands/tag';
import type { FlagSpec } from '../args';
import type { StreamCommand } from './records';

export const STREAM_COMMANDS: Record<string, StreamCommand<unknown>> = {
  tag: tagStream,
  fields: fieldsStream,
};

/** The names of the stream commands, for a --command flag. */
export const STREAM_COMMAND_NAMES = Object.keys(STREAM_COMMANDS);

/** The flags of every stream command together (what `entity-lens worker` accepts). */
export function allStreamCommandFlags(): Record<string, FlagSpec> {
  return Object.assign({}, ...Object.values(STREAM_COMMANDS).map((c) => c.flags)) as Record<string, FlagSpec>;
}

/** The StreamCommand called `name`; an Error for a name not in the table. */
export function streamCommand(name: string): StreamCommand<unknown> {
  const command = Object.prototype.hasOwnProperty.call(STREAM_COMMANDS, name) ? STREAM_COMMANDS[name] : undefined;
  if (!command) throw new Error(`no stream command called "${name}"`);
  return command;
}
