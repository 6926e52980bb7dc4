import { Tagger } from '../model/tagger';
import { defaultModelDir } from '../model/paths';
import { annotate } from '../model/rules';
import { readCuad, readSroie, SILVER_LABELS } from './default-data';
import * as fs from 'node:fs';
async function main() {
  const model = await Tagger.load(defaultModelDir(), { propagate: false });
  const cuad = await readCuad(process.argv[2] === 'dev' ? 'dev' : 'test');
  const sroie = await readSroie();
  const out: any[] = [];
  for (const [name, docs] of [['cuad', cuad], ['sroie', sroie]] as const) {
    for (const d of docs) {
      const pred = await model.tag(d.text);
      const rules = annotate(d.text, [...SILVER_LABELS, 'JURISDICTION']);
      out.push({ src: name, id: d.id, text: d.text, gold: d.spans, pred, rules });
    }
  }
  fs.writeFileSync(process.argv[3] ?? '/tmp/ea/raw.json', JSON.stringify(out));
  await model.dispose();
}
main();
