// A worker thread of a stream's pool (`tag --jsonl --workers N`, the queue's `worker`): opens the
// command named in its options once (the model loads here) and answers one record at a time.
// Bundled as out/stream-worker.js; compiled beside run.ts for the tests.
import { serveThreadPool } from '../../model';
import { openRecordHandler, type HandlerOptions } from './records';
import { streamCommand } from './registry';

serveThreadPool((options) => {
  const o = options as HandlerOptions;
  return openRecordHandler(streamCommand(o.command), o);
});
