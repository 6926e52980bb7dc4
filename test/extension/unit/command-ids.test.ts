// package.json and the code name the same commands: every contributed command is in CommandId,
// every CommandId but the hidden ones is contributed, and menus and keybindings name only those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId, HIDDEN_COMMANDS } from '../../../src/extension/command-ids';
import { ROOT } from '../../fixtures/paths';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    keybindings: { command: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const ids: string[] = Object.values(CommandId);

test('package.json contributes exactly the CommandId table, hidden commands aside', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  const expected = ids.filter((id) => !HIDDEN_COMMANDS.includes(id as CommandId)).sort();
  assert.deepEqual(contributed, expected);
});

test('menus and keybindings name only known commands', () => {
  const named = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map(
    (m) => m.command,
  );
  assert.deepEqual(
    named.filter((c) => !ids.includes(c)),
    [],
  );
});

test('no onCommand activation events: VS Code derives them from contributes.commands', () => {
  assert.deepEqual(
    (manifest.activationEvents ?? []).filter((e) => e.startsWith('onCommand:')),
    [],
  );
});
