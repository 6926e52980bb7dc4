import { Tagger } from '../model/tagger';
import { readCuad } from './default-data';
async function main() {
  const a = await Tagger.load(process.argv[2]);
  const b = await Tagger.load(process.argv[3]);
  const docs = await readCuad((process.argv[4] as any) ?? 'dev');
  let rows: [string, number, number, number][] = [];
  for (const d of docs) {
    const G = new Set(d.spans.filter((s) => s.label === 'PARTY').map((s) => `${s.start}:${s.end}`));
    const hit = async (t: Tagger) => (await t.tag(d.text)).filter((e) => e.label === 'PARTY' && G.has(`${e.start}:${e.end}`)).length;
    rows.push([d.id.slice(5, 45), G.size, await hit(a), await hit(b)]);
  }
  rows = rows.filter((r) => r[2] !== r[3]).sort((x, y) => Math.abs(y[2] - y[3]) - Math.abs(x[2] - x[3]));
  for (const r of rows.slice(0, 15)) console.log(r.join('\t'));
  await a.dispose(); await b.dispose();
}
main();
