import * as fs from 'node:fs';
import { propagateEntities } from '../model/propagate';
import { tokenize } from '../model/tokenizer';
const D = JSON.parse(fs.readFileSync(process.argv[2] ?? '/tmp/ea/raw.json', 'utf8'));
let tp = 0, fp = 0, fn = 0;
const out: any[] = [];
for (const d of D) {
  if (d.src !== 'cuad') continue;
  const ents = propagateEntities(d.text, tokenize(d.text), d.pred);
  const G = new Set(d.gold.filter((g: any) => g.label === 'PARTY').map((g: any) => g.start + ':' + g.end));
  const P = new Set(ents.filter((g: any) => g.label === 'PARTY').map((g: any) => g.start + ':' + g.end));
  for (const p of P) (G.has(p) ? tp++ : fp++);
  for (const g of G) if (!P.has(g as string)) fn++;
  out.push({ ...d, pred: ents });
}
console.log(`PARTY P ${(tp / (tp + fp)).toFixed(3)} R ${(tp / (tp + fn)).toFixed(3)} F1 ${(2 * tp / (2 * tp + fp + fn)).toFixed(3)}`);
fs.writeFileSync('/tmp/ea/preds.json', JSON.stringify(out));
