// The commands that can run on a document stream, by name: worker threads (of `--workers N` and
// of the queue's `worker`) receive only a name and plain options, and look the command up here.
// A command plugs in by exporting a StreamCommand and adding it to this table.
import { tagStream } from '../commands/tag';
import type { StreamCommand } from './records';

export const STREAM_COMMANDS: Record<string, StreamCommand<unknown>> = {
  tag: tagStream,
};

/** The StreamCommand called `name`; an Error for a name not in the table. */
export function streamCommand(name: string): StreamCommand<unknown> {
  const command = Object.prototype.hasOwnProperty.call(STREAM_COMMANDS, name) ? STREAM_COMMANDS[name] : undefined;
  if (!command) throw new Error(`no stream command called "${name}"`);
  return command;
}
