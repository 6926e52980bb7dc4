// The `entity-lens` command line: parses argv, runs one command, sets the exit code.
// Exit codes: 0 done; 1 an input file could not be used (or training failed); 2 a usage
// error or an unusable model folder; 130 training cancelled with Ctrl-C.
// Errors print as one line `entity-lens: <message>`; ENTITY_LENS_DEBUG=1 adds stack traces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, packageRoot } from '../model';
import {
  CliError,
  PROGRAM,
  UsageError,
  closest,
  debugEnabled,
  errorText,
  formatHelp,
  formatUsage,
  parseArgs,
  printError,
  type CommandSpec,
  type ParsedArgs,
} from './args';
import * as convertCommand from './commands/convert';
import * as ensembleCommand from './commands/ensemble';
import * as evalCommand from './commands/eval';
import * as exportCommand from './commands/export';
import * as queueCommand from './commands/queue';
import * as tagCommand from './commands/tag';
import * as textCommand from './commands/text';
import * as trainCommand from './commands/train';
import * as workerCommand from './commands/worker';
import { exitNow } from './exit';

interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  tag: tagCommand,
  text: textCommand,
  train: trainCommand,
  eval: evalCommand,
  export: exportCommand,
  ensemble: ensembleCommand,
  convert: convertCommand,
  queue: queueCommand,
  worker: workerCommand,
};

export function globalUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'Finds parties, dates, amounts, durations, governing law... in contracts and invoices',
    'with a BiLSTM-CRF that runs locally.',
    '',
    'commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options, \`${PROGRAM} --version\` for the version.`,
  ].join('\n');
}

export function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(`${globalUsage()}\n`);
    return 2;
  }
  if (first === '--version' || first === '-V' || first === '-v' || first === 'version') {
    process.stdout.write(`${PROGRAM} ${version()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(`${topic ? formatHelp(PROGRAM, topic.spec) : globalUsage()}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    const guess = first.startsWith('-') ? undefined : closest(first, Object.keys(COMMANDS));
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
    printError(`${what}${guess ? ` (did you mean ${guess}?)` : ''}`);
    process.stderr.write(`${globalUsage()}\n`);
    return 2;
  }
  try {
    const parsed = parseArgs(rest, command.spec);
    if (parsed.help) {
      process.stdout.write(`${formatHelp(PROGRAM, command.spec)}\n`);
      return 0;
    }
    return await command.run(parsed.args);
  } catch (e) {
    if (e instanceof UsageError) {
      printError(`${command.spec.name}: ${e.message}`);
      process.stderr.write(`${formatUsage(PROGRAM, command.spec)}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      printError(errorText(e));
      return e.exitCode;
    }
    if (e instanceof InputError) {
      printError(errorText(e));
      return 1;
    }
    // a bug or an unexpected system error: still one line, unless debugging
    printError(errorText(e));
    if (!debugEnabled()) process.stderr.write(`${PROGRAM}: (set ENTITY_LENS_DEBUG=1 for details)\n`);
    return 1;
  }
}

/** Entry point: runs `process.argv` and sets `process.exitCode`. */
export function run(): void {
  // `entity-lens tag ... | head` closes stdout early: stop quietly
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') printError(`cannot write the output: ${errorText(e)}`);
    void exitNow(e.code === 'EPIPE' ? Number(process.exitCode ?? 0) : 1);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      printError(errorText(e));
      process.exitCode = 1;
    },
  );
}

if (require.main === module) run();
