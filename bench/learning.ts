// `npm run bench:learning`: simulated users correct k documents (or sentences) of a kind the
// default model is weak on, and their corrections go through the editor's own path: the records
// the editor writes (bench/learning/editor-records.ts), learnFromRecords (split, fine-tune plan,
// training worker, promotion verdict). Each user's model is scored on held-out documents of the
// kind, and for forgetting on fixed samples of CUAD test (PARTY) and SROIE (PARTY, ADDRESS) that
// no user draws from: the model in use after the verdict (the base model when it was rejected)
// and the trained candidate. A promotion is bad when the promoted model is worse by more than one
// F1 point on the user's held-out kind, a forgetting set or a reference-set label the user did
// not take over; a rejection is bad when the candidate was better by more than a point there and
// worse nowhere.
//
// Options: --scenarios a,b (receipts, contracts, location-sentences, location-docs), --k 5,10,20,40,
// --users 3, --epochs N (default: the fine-tune plan's), --cuad N and --sroie N (evaluation
// sample sizes, default 30 and 100), --out FILE (the runs as JSON), --quick (one user, k = 5,
// 4 contracts and 20 receipts: a smoke test), --plan key=value,... (fine-tune plan constants
// other than FINE_TUNE's, to measure a lever), --report FILE (the tables of a saved runs file).
// The last line is always `learning: ...`.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  defaultModelDir,
  FINE_TUNE,
  learnFromRecords,
  loadReferenceSet,
  loadRehearsalSet,
  MIN_HELD_OUT_ENTITIES,
  packageRoot,
  Tagger,
  type Verdict,
} from '../src/model';
import {
  forgettingSets,
  type ForgettingSets,
  makeScenario,
  readScenarioData,
  type Scenario,
  SCENARIO_NAMES,
  type ScoredDocument,
} from './learning/scenarios';
import { f1On, memoTagger, Predictions } from './learning/scores';

interface Options {
  scenarios: string[];
  ks: number[];
  users: number;
  epochs?: number;
  cuad: number;
  sroie: number;
  out: string;
  /** fine-tune plan constants to try instead of the defaults (FINE_TUNE), e.g. anchor=0.01 */
  plan: Record<string, number>;
  /** print the tables of a saved runs file instead of running */
  report?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    scenarios: SCENARIO_NAMES,
    ks: [5, 10, 20, 40],
    users: 3,
    cuad: 30,
    sroie: 100,
    out: path.join(packageRoot(), 'out', 'bench-learning', 'runs.json'),
    plan: {},
  };
  const quick = argv.includes('--quick');
  if (quick) Object.assign(o, { ks: [5], users: 1, cuad: 4, sroie: 20 });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const count = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a whole number of at least 1`);
      return v;
    };
    if (a === '--quick') continue;
    else if (a === '--scenarios') {
      o.scenarios = value().split(',');
      for (const s of o.scenarios)
        if (!SCENARIO_NAMES.includes(s))
          throw new Error(`unknown scenario "${s}" (one of ${SCENARIO_NAMES.join(', ')})`);
    } else if (a === '--k') {
      o.ks = value()
        .split(',')
        .map((x) => Number(x));
      if (o.ks.some((k) => !Number.isInteger(k) || k < 1))
        throw new Error('--k needs whole numbers of at least 1, e.g. 5,10');
    } else if (a === '--users') o.users = count();
    else if (a === '--epochs') o.epochs = count();
    else if (a === '--cuad') o.cuad = count();
    else if (a === '--sroie') o.sroie = count();
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--report') o.report = path.resolve(value());
    else if (a === '--plan') {
      for (const pair of value().split(',')) {
        const [key, v] = pair.split('=');
        if (!(key in FINE_TUNE) || !Number.isFinite(Number(v)))
          throw new Error(`--plan needs key=number pairs of ${Object.keys(FINE_TUNE).join(', ')}`);
        o.plan[key] = Number(v);
      }
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** F1 per label (and micro) of three models on one set. */
interface Scored {
  base: Record<string, number>;
  inUse: Record<string, number>;
  candidate: Record<string, number>;
}

interface Run {
  scenario: string;
  k: number;
  user: number;
  records: number;
  train: number;
  heldOut: number;
  promoted: boolean;
  gate: 'promoted' | 'too few held-out entities' | 'worse on held-out' | 'worse on reference';
  reason: string;
  seconds: number;
  target: Scored;
  forgetting: Record<string, { base: number; inUse: number; candidate: number }>;
  /** the reference-set label (outside those the user took over) that lost most, candidate against base */
  referenceWorst: { label: string; delta: number } | null;
  bad: 'promotion' | 'rejection' | null;
  /** what made the candidate worse or better, for a bad verdict */
  badWhy: string;
}

const FORGETTING: { name: string; set: keyof ForgettingSets; label: string }[] = [
  { name: 'CUAD PARTY', set: 'cuad', label: 'PARTY' },
  { name: 'SROIE PARTY', set: 'sroie', label: 'PARTY' },
  { name: 'SROIE ADDRESS', set: 'sroie', label: 'ADDRESS' },
];
/** a change smaller than this (F1, 0–1) is not counted as better or worse */
const NOISE = 0.01;

function gateOf(v: Verdict): Run['gate'] {
  if (v.promote) return 'promoted';
  if (v.reference) return 'worse on reference';
  if (v.heldOut && (v.heldOut.entities >= MIN_HELD_OUT_ENTITIES || /it is worse\.$/.test(v.reason)))
    return 'worse on held-out';
  return 'too few held-out entities';
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.report) {
    const runs = JSON.parse(await fs.readFile(o.report, 'utf8')) as Run[];
    for (const r of runs)
      Object.assign(
        r,
        verdictQuality(
          r,
          Object.keys(r.target.base).filter((l) => l !== 'micro'),
        ),
      );
    console.log(report(runs, { ...o, users: Math.max(...runs.map((r) => r.user + 1)) }, NaN));
    return;
  }
  const started = Date.now();
  // a lever measured by the bench: the plan reads its constants when it is made, in this thread
  Object.assign(FINE_TUNE as Record<string, number>, o.plan);
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const baseDir = defaultModelDir();
  const baseTagger = memoTagger(await Tagger.load(baseDir, { warn: say }));
  const base = new Predictions(baseTagger);
  const [rehearsal, reference] = [await loadRehearsalSet(baseDir), await loadReferenceSet(baseDir)];
  say(`base ${baseDir}: rehearsal ${rehearsal.length} documents, reference ${reference.length} documents`);
  const data = await readScenarioData(async (d) => (await base.of(d.text)).filter((s) => s.label === 'JURISDICTION'));
  const sets = forgettingSets(data, { cuad: o.cuad, sroie: o.sroie });
  say(`evaluation samples: ${sets.cuad.length} CUAD test contracts, ${sets.sroie.length} SROIE receipts`);

  const forgettingOf = async (p: Predictions) => {
    const out: Record<string, number> = {};
    for (const f of FORGETTING) out[f.name] = (await f1On(sets[f.set], p, [f.label]))[f.label] ?? 0;
    return out;
  };
  const baseForgetting = await forgettingOf(base);
  const runs: Run[] = [];
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'entity-lens-bench-learning-'));
  try {
    for (const name of o.scenarios) {
      const scenario = await makeScenario(name, data, sets);
      for (const k of o.ks) {
        if (k > scenario.maxK) {
          say(`${name}: k = ${k} skipped (the pool holds ${scenario.maxK} ${scenario.unit})`);
          continue;
        }
        for (let user = 0; user < o.users; user++) {
          const run = await oneRun(scenario, k, user, {
            o,
            baseDir,
            work,
            base,
            baseTagger,
            baseForgetting,
            rehearsal,
            reference,
            forgettingOf,
            say,
          });
          runs.push(run);
          await fs.mkdir(path.dirname(o.out), { recursive: true });
          await fs.writeFile(o.out, JSON.stringify(runs, null, 1) + '\n');
        }
      }
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
    await baseTagger.dispose();
  }
  const minutes = (Date.now() - started) / 60000;
  console.log(report(runs, o, minutes));
}

interface RunContext {
  o: Options;
  baseDir: string;
  work: string;
  base: Predictions;
  baseTagger: Tagger;
  baseForgetting: Record<string, number>;
  rehearsal: Awaited<ReturnType<typeof loadRehearsalSet>>;
  reference: Awaited<ReturnType<typeof loadReferenceSet>>;
  forgettingOf: (p: Predictions) => Promise<Record<string, number>>;
  say: (m: string) => void;
}

async function oneRun(scenario: Scenario, k: number, user: number, c: RunContext): Promise<Run> {
  const records = scenario.records(user, k);
  const heldOut: ScoredDocument[] = scenario.heldOut(user, k);
  const targetOf = (p: Predictions) => f1On(heldOut, p, scenario.labels);
  const baseTarget = await targetOf(c.base);
  const t0 = Date.now();
  let candidateTarget: Record<string, number> = {};
  let candidateForgetting: Record<string, number> = {};
  const outDir = path.join(c.work, `${scenario.name}-k${k}-u${user}`);
  const result = await learnFromRecords({
    baseDir: c.baseDir,
    records,
    outDir,
    rehearsal: c.rehearsal,
    reference: c.reference,
    current: c.baseTagger,
    epochs: c.o.epochs,
    seed: user + 1,
    onJudged: async (candidate) => {
      const p = new Predictions(candidate);
      candidateTarget = await targetOf(p);
      candidateForgetting = await c.forgettingOf(p);
    },
  });
  const promoted = result.verdict.promote;
  await fs.rm(outDir, { recursive: true, force: true });
  const inUseTarget = promoted ? candidateTarget : baseTarget;
  const forgetting: Run['forgetting'] = {};
  for (const f of FORGETTING) {
    if (scenario.ownSets.includes(f.name)) continue;
    const cand = candidateForgetting[f.name] ?? 0;
    forgetting[f.name] = {
      base: c.baseForgetting[f.name],
      candidate: cand,
      inUse: promoted ? cand : c.baseForgetting[f.name],
    };
  }
  const takenOver = [...result.plan.yieldedLabels, ...result.plan.newLabels];
  const losses = (result.verdict.reference?.labels ?? [])
    .filter((l) => !takenOver.includes(l.label))
    .sort((a, b) => a.delta - b.delta);
  const referenceWorst = losses.length > 0 ? { label: losses[0].label, delta: losses[0].delta } : null;
  const run: Run = {
    scenario: scenario.name,
    k,
    user,
    records: records.length,
    train: result.train,
    heldOut: result.heldOut,
    promoted,
    gate: gateOf(result.verdict),
    reason: result.verdict.reason,
    seconds: (Date.now() - t0) / 1000,
    target: { base: baseTarget, inUse: inUseTarget, candidate: candidateTarget },
    forgetting,
    referenceWorst,
    bad: null,
    badWhy: '',
  };
  Object.assign(run, verdictQuality(run, scenario.labels));
  c.say(
    `${scenario.name} k=${k} user ${user}: ${records.length} records (${result.heldOut} held out), ` +
      `${scenario.labels.map((l) => `${l} ${f(baseTarget[l])} → candidate ${f(candidateTarget[l])}`).join(', ')}; ` +
      `${run.gate}${run.bad ? ` (bad ${run.bad}: ${run.badWhy})` : ''}; ${run.seconds.toFixed(0)} s — ${run.reason}`,
  );
  return run;
}

/** Whether the verdict on a run was bad, and what made it so (see the header). */
function verdictQuality(r: Run, labels: string[]): Pick<Run, 'bad' | 'badWhy'> {
  const targetDelta = (r.target.candidate.micro ?? 0) - (r.target.base.micro ?? 0);
  const worse: string[] = [];
  for (const [name, x] of Object.entries(r.forgetting))
    if (x.candidate - x.base < -NOISE) worse.push(`${name} ${points(x.candidate - x.base)}`);
  if (r.referenceWorst && r.referenceWorst.delta < -NOISE)
    worse.push(`reference ${r.referenceWorst.label} ${points(r.referenceWorst.delta)}`);
  const held = `held-out ${labels.join('+')} ${points(targetDelta)}`;
  if (r.promoted && (targetDelta < -NOISE || worse.length > 0))
    return { bad: 'promotion', badWhy: [...(targetDelta < -NOISE ? [held] : []), ...worse].join(', ') };
  if (!r.promoted && targetDelta > NOISE && worse.length === 0) return { bad: 'rejection', badWhy: held };
  return { bad: null, badWhy: '' };
}

function f(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(3);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function points(v: number): string {
  if (Number.isNaN(v)) return 'n/a';
  const p = v * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)}`;
}

/** "0.612 (0.580–0.655)": the median over users, and the range when there are several. */
function spread(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const m = f(median(values));
  return values.length > 1 ? `${m} (${f(Math.min(...values))}–${f(Math.max(...values))})` : m;
}

function groups(runs: Run[]): Run[][] {
  const out = new Map<string, Run[]>();
  for (const r of runs) {
    const key = `${r.scenario}\u0000${r.k}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return [...out.values()];
}

function report(runs: Run[], o: Options, minutes: number): string {
  const lines: string[] = [];
  lines.push(
    `Learning from corrections: ${runs.length} runs, ${o.users} user(s) per k, evaluation samples ${o.cuad} CUAD test contracts and ${o.sroie} SROIE receipts` +
      (Object.keys(o.plan).length
        ? `; plan ${Object.entries(o.plan)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : '') +
      (Number.isFinite(minutes)
        ? `; ${minutes.toFixed(1)} min, load average ${os
            .loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`
        : ''),
    '',
    '| scenario | k | label | base F1 | in use F1 | candidate F1 | promoted |',
    '|---|---:|---|---:|---:|---:|---:|',
  );
  for (const g of groups(runs)) {
    const r0 = g[0];
    const labels = Object.keys(r0.target.base).filter((l) => l !== 'micro');
    for (const label of labels)
      lines.push(
        `| ${r0.scenario} | ${r0.k} | ${label} | ${spread(g.map((r) => r.target.base[label]))} | ${spread(g.map((r) => r.target.inUse[label] ?? 0))} | ${spread(g.map((r) => r.target.candidate[label] ?? 0))} | ${g.filter((r) => r.promoted).length}/${g.length} |`,
      );
  }
  lines.push(
    '',
    'Forgetting: F1 change in points against the base model (median over users, in use / candidate); the verdicts; bad promotions and rejections.',
    '',
    `| scenario | k | ${FORGETTING.map((x) => x.name).join(' | ')} | worst reference label (candidate) | verdicts | bad promotions | bad rejections | seconds per run |`,
    `|---|---:|${FORGETTING.map(() => '---:').join('|')}|---|---|---:|---:|---:|`,
  );
  for (const g of groups(runs)) {
    const r0 = g[0];
    const cells = FORGETTING.map((x) => {
      if (!r0.forgetting[x.name]) return '(own kind)';
      const inUse = median(g.map((r) => r.forgetting[x.name].inUse - r.forgetting[x.name].base));
      const cand = median(g.map((r) => r.forgetting[x.name].candidate - r.forgetting[x.name].base));
      return `${points(inUse)} / ${points(cand)}`;
    });
    const worst = g
      .filter((r) => r.referenceWorst)
      .map((r) => r.referenceWorst as { label: string; delta: number })
      .sort((a, b) => a.delta - b.delta)[0];
    const verdicts = new Map<string, number>();
    for (const r of g) verdicts.set(r.gate, (verdicts.get(r.gate) ?? 0) + 1);
    lines.push(
      `| ${r0.scenario} | ${r0.k} | ${cells.join(' | ')} | ${worst ? `${worst.label} ${points(worst.delta)}` : '–'} | ${[...verdicts].map(([gate, n]) => `${gate} ${n}`).join(', ')} | ${g.filter((r) => r.bad === 'promotion').length} | ${g.filter((r) => r.bad === 'rejection').length} | ${median(g.map((r) => r.seconds)).toFixed(0)} |`,
    );
  }
  const bad = runs.filter((r) => r.bad);
  if (bad.length > 0) {
    lines.push('', 'Bad verdicts (a change beyond one F1 point, candidate against base):', '');
    for (const r of bad) lines.push(`- ${r.scenario} k=${r.k} user ${r.user}: bad ${r.bad} (${r.gate}): ${r.badWhy}`);
  }
  lines.push('', lastLine(runs));
  return lines.join('\n');
}

/** `learning: receipts k=20 PARTY +x ADDRESS +y; new label k=5 docs F1 z; max forgetting w; bad promotions n` */
function lastLine(runs: Run[]): string {
  const at = (scenario: string, k: number) => runs.filter((r) => r.scenario === scenario && r.k === k);
  const gain = (g: Run[], label: string) =>
    g.length ? points(median(g.map((r) => (r.target.inUse[label] ?? 0) - (r.target.base[label] ?? 0)))) : 'n/a';
  const receipts = at('receipts', 20);
  const docs = at('location-docs', 5);
  let maxDrop = NaN;
  for (const g of groups(runs))
    for (const name of Object.keys(g[0].forgetting)) {
      const drop = -median(g.map((r) => r.forgetting[name].inUse - r.forgetting[name].base));
      if (!(drop <= maxDrop)) maxDrop = drop;
    }
  const forgetting = Number.isNaN(maxDrop) ? 'n/a' : (Math.max(0, maxDrop) * 100).toFixed(1);
  return (
    `learning: receipts k=20 PARTY ${gain(receipts, 'PARTY')} ADDRESS ${gain(receipts, 'ADDRESS')}; ` +
    `new label k=5 docs F1 ${docs.length ? f(median(docs.map((r) => r.target.inUse.LOCATION ?? 0))) : 'n/a'}; ` +
    `max forgetting ${forgetting}; bad promotions ${runs.filter((r) => r.bad === 'promotion').length}`
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
