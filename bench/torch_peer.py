#!/usr/bin/python3
"""PyTorch peer of Entity Lens's tagger, for benchmarks.

Runs the SAME architecture as src/model/config.ts on the SAME data (a workload JSON written
by bench/torch-peer.ts) and prints one JSON line of timings on stdout; diagnostics go to
stderr.

    /usr/bin/python3 bench/torch_peer.py --workload W.json --threads 1 --repeats 3

Run it with Debian's /usr/bin/python3 (python3-torch) and OpenBLAS first on
LD_LIBRARY_PATH (scripts/install-torch-peer.sh prints the directory); with Debian's
reference BLAS the matmul is ~20x slower and the peer looks far slower than it is.

Model (config.ts):
  word/shape/char embeddings; char feature = tanh(max over the maxChars positions of
  Conv1d(chars, padding (K-1)/2)); x = concat(word, shape, char feature);
  `layers` bidirectional LSTM/GRU layers (stacked by hand so that, with `residual`, layer l's
  output gets layer l-1's output added), packed by sentence length; emissions = Linear(2H, T);
  or cell 'tcn': Linear(x) to H channels, then residual width-3 Conv1d's with the config's
  dilations, the block `layers` times, positions past a length held at 0; Linear(H, T);
  output 'crf': linear-chain CRF with constraints (disallowed start/end/transition: -1e4),
  partial-annotation loss  logZ(allowed paths) - logZ(paths inside tagMask), mean over
  sentences; output 'softmax': per token -log sum_{tag in mask} softmax(emissions), summed over
  the sentence's tokens, mean over sentences.
Training: Adam(lr 1e-3), clip_grad_norm 5, batches cycled.
Inference: eval(), no_grad(), emissions + vectorized Viterbi (or argmax for softmax).
"""
import argparse
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--workload', required=True, help='workload JSON written by bench/torch-peer.ts')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--seed', type=int, default=1234)
    return p.parse_args()


ARGS = None
if __name__ == '__main__':
    ARGS = parse_args()
    # Thread counts must be in the environment before torch (and its BLAS / OpenMP) loads.
    for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[_var] = str(ARGS.threads)

import ctypes  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

NEG = -1e4  # added to the score of a disallowed start / end / transition / tag


def log(*a):
    print('[torch_peer]', *a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# BLAS check


def blas_in_use():
    """Which libblas the process actually mapped (torch's build info always says 'generic')."""
    libs = []
    try:
        with open('/proc/self/maps') as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ''
                name = os.path.basename(path)
                if ('blas' in name or 'lapack' in name) and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    blas = next((p for p in libs if os.path.basename(p).startswith('libblas')), None)
    real = os.path.realpath(blas) if blas else None
    desc = 'unknown'
    if real:
        try:
            lib = ctypes.CDLL(real)
            get_config = lib.openblas_get_config
            get_config.restype = ctypes.c_char_p
            desc = get_config().decode().strip() + ' (' + real + ')'
            try:
                desc += ', %d thread(s)' % lib.openblas_get_num_threads()
            except AttributeError:
                pass
        except (OSError, AttributeError):
            desc = ('reference BLAS' if '/blas/' in real else 'BLAS') + ' (' + real + ')'
    return desc, libs


def matmul_gflops(n=1024, runs=5):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    torch.mm(a, b)  # warm-up
    best = float('inf')
    budget = time.perf_counter() + 10.0  # the slow reference BLAS must not stall the bench
    for _ in range(runs):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() > budget:
            break
    return 2.0 * n ** 3 / best / 1e9


# --------------------------------------------------------------------------------------------
# Model


class Tagger(nn.Module):
    def __init__(self, c, allowed):
        super().__init__()
        self.c = c
        T = len(c['tags'])
        H = c['hidden']
        self.word = nn.Embedding(c['vocabSize'], c['wordDim'])
        self.shape = nn.Embedding(c['shapeCount'], c['shapeDim'])
        self.char = nn.Embedding(c['charCount'], c['charDim'])
        K = c['charWidth']
        assert K % 2 == 1, 'charWidth must be odd'
        self.conv = nn.Conv1d(c['charDim'], c['charFilters'], K, padding=(K - 1) // 2)
        # line and page features (models of feature set lines-1): given per token, concatenated
        self.feature_dim = int(c.get('featureDim') or 0) if c.get('features') else 0
        in_dim = c['wordDim'] + c['shapeDim'] + c['charFilters'] + self.feature_dim
        self.tcn = c['cell'] == 'tcn'
        if self.tcn:
            # the iterated dilated CNN of src/model/nn/tcn.ts: projection, then per dilation
            # h = mask * (h + relu(conv_d(h))), the block `layers` times with the same weights
            self.tcn_in = nn.Linear(in_dim, H)
            self.convs = nn.ModuleList(
                nn.Conv1d(H, H, 3, dilation=d, padding=d) for d in (c.get('dilations') or [1, 2, 4]))
            self.rnns = nn.ModuleList()
        else:
            cell = {'lstm': nn.LSTM, 'gru': nn.GRU}[c['cell']]
            self.rnns = nn.ModuleList(
                cell(in_dim if l == 0 else 2 * H, H, num_layers=1, bidirectional=True, batch_first=True)
                for l in range(c['layers']))
        self.residual = bool(c.get('residual', False))
        self.out = nn.Linear(H if self.tcn else 2 * H, T)
        self.crf = c['output'] == 'crf'
        if self.crf:
            self.trans = nn.Parameter(torch.empty(T, T).uniform_(-0.1, 0.1))  # [from, to]
            self.start = nn.Parameter(torch.empty(T).uniform_(-0.1, 0.1))
            self.end = nn.Parameter(torch.empty(T).uniform_(-0.1, 0.1))
            if allowed is None:
                allowed = {'start': [True] * T, 'end': [True] * T, 'trans': [[True] * T] * T}
            # constant penalties, added to the trained scores
            self.register_buffer('trans_pen', NEG * (~torch.tensor(allowed['trans'], dtype=torch.bool)).float())
            self.register_buffer('start_pen', NEG * (~torch.tensor(allowed['start'], dtype=torch.bool)).float())
            self.register_buffer('end_pen', NEG * (~torch.tensor(allowed['end'], dtype=torch.bool)).float())

    def scores(self):
        return self.trans + self.trans_pen, self.start + self.start_pen, self.end + self.end_pen

    def emissions(self, words, shapes, chars, lengths, features=None):
        """words/shapes [B, L] long, chars [B, L, C] long, lengths [B] long (CPU),
        features [B, L, K] float for models with line features -> [B, L, T]"""
        B, L, C = chars.shape
        ch = self.char(chars.reshape(B * L, C)).transpose(1, 2)  # [BL, charDim, C]
        ch = torch.tanh(self.conv(ch).amax(dim=2)).reshape(B, L, -1)  # tanh(max) == max(tanh)
        parts = [self.word(words), self.shape(shapes), ch]
        if self.feature_dim:
            parts.append(features)
        x = torch.cat(parts, dim=2)
        if self.tcn:
            mask = (torch.arange(L).unsqueeze(0) < lengths.unsqueeze(1)).float()  # [B, L]
            h = (self.tcn_in(x) * mask.unsqueeze(2)).transpose(1, 2)  # [B, H, L]
            m = mask.unsqueeze(1)
            for _ in range(self.c['layers']):
                for conv in self.convs:
                    h = (h + torch.relu(conv(h))) * m
            return self.out(h.transpose(1, 2))
        full = int(lengths.min()) == L  # no padding: packing is the identity
        for l, rnn in enumerate(self.rnns):
            if full:
                y, _ = rnn(x)
            else:
                packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
                y, _ = rnn(packed)
                y, _ = pad_packed_sequence(y, batch_first=True, total_length=L)
            x = y + x if (self.residual and l > 0) else y
        return self.out(x)

    def loss(self, em, mask, tag_mask):
        """em [B, L, T]; mask [B, L] bool (t < length); tag_mask [B, L, T] bool."""
        B = em.shape[0]
        if not self.crf:
            logp = torch.log_softmax(em, dim=2)
            gold = torch.logsumexp(logp + NEG * (~tag_mask).float(), dim=2)  # log sum_{mask} p
            return -(gold * mask.float()).sum() / B
        # logZ over all allowed paths and over the paths inside tag_mask, in one pass of 2B.
        both = torch.cat([em, em + NEG * (~tag_mask).float()], dim=0)
        m2 = torch.cat([mask, mask], dim=0)
        logz = crf_log_partition(both, m2, *self.scores())
        return (logz[:B] - logz[B:]).mean()


def crf_log_partition(em, mask, trans, start, end):
    """Forward algorithm in log space, vectorized over the batch. em [B, L, T], mask [B, L]
    (prefix masks; position 0 always valid) -> logZ [B]."""
    L = em.shape[1]
    alpha = start + em[:, 0]  # [B, T]
    tr = trans.unsqueeze(0)  # [1, T_from, T_to]
    min_len = int(mask.sum(1).min())
    for t in range(1, L):
        nxt = torch.logsumexp(alpha.unsqueeze(2) + tr, dim=1) + em[:, t]
        alpha = nxt if t < min_len else torch.where(mask[:, t:t + 1], nxt, alpha)
    return torch.logsumexp(alpha + end, dim=1)


def viterbi(em, lengths, trans, start, end):
    """Vectorized Viterbi. em [B, L, T], lengths [B] -> list of B tag lists (length-trimmed).
    Past a sentence's end its score is carried unchanged with identity back-pointers."""
    B, L, T = em.shape
    min_len = int(lengths.min())
    mask = torch.arange(L).unsqueeze(0) < lengths.unsqueeze(1)  # [B, L]
    ident = torch.arange(T).expand(B, T)
    tr = trans.unsqueeze(0)
    score = start + em[:, 0]
    bps = torch.empty(L, B, T, dtype=torch.long)
    bps[0] = ident
    for t in range(1, L):
        best, idx = (score.unsqueeze(2) + tr).max(dim=1)  # over the previous tag
        best = best + em[:, t]
        if t < min_len:
            score = best
            bps[t] = idx
        else:
            m = mask[:, t:t + 1]
            score = torch.where(m, best, score)
            bps[t] = torch.where(m, idx, ident)
    last = (score + end).argmax(dim=1)  # [B]
    # Backtrack on numpy (a Python loop over L with cheap integer indexing).
    bp = bps.numpy()
    cur = last.numpy()
    out = [None] * L
    ar = list(range(B))
    out[L - 1] = cur
    for t in range(L - 1, 0, -1):
        cur = bp[t, ar, cur]
        out[t - 1] = cur
    tags = np.stack(out, axis=1)  # [B, L]
    return [tags[b, :int(lengths[b])].tolist() for b in range(B)]


# --------------------------------------------------------------------------------------------
# Data


def to_tensors(batch, with_mask):
    words = torch.tensor(batch['words'], dtype=torch.long)
    B, L = words.shape
    shapes = torch.tensor(batch['shapes'], dtype=torch.long)
    chars = torch.tensor(batch['chars'], dtype=torch.long)
    lengths = torch.tensor(batch['lengths'], dtype=torch.long)
    assert shapes.shape == (B, L) and chars.shape[:2] == (B, L) and lengths.shape == (B,)
    assert int(lengths.min()) >= 1 and int(lengths.max()) <= L
    d = {'words': words, 'shapes': shapes, 'chars': chars, 'lengths': lengths}
    if 'features' in batch:
        d['features'] = torch.tensor(batch['features'], dtype=torch.float)
    if with_mask:
        d['mask'] = torch.arange(L).unsqueeze(0) < lengths.unsqueeze(1)
        d['tagMask'] = torch.tensor(batch['tagMask'], dtype=torch.bool)
    return d


def chunk(doc, size=40):
    """docChunks fallback: cut the B=1 document into sentences of `size` tokens."""
    n = doc['lengths'][0]
    starts = list(range(0, n, size))
    C = len(doc['chars'][0][0])

    def pad(seq, fill):
        return seq + [fill] * (size - len(seq))
    out = {
        'words': [pad(doc['words'][0][s:s + size], 0) for s in starts],
        'shapes': [pad(doc['shapes'][0][s:s + size], 0) for s in starts],
        'chars': [pad(doc['chars'][0][s:s + size], [0] * C) for s in starts],
        'lengths': [min(size, n - s) for s in starts],
    }
    if 'features' in doc:
        K = len(doc['features'][0][0])
        out['features'] = [pad(doc['features'][0][s:s + size], [0.0] * K) for s in starts]
    return out


# --------------------------------------------------------------------------------------------
# Benchmarks


def train_once(cfg, allowed, batches, steps, seed):
    torch.manual_seed(seed)
    model = Tagger(cfg, allowed)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    params = [p for p in model.parameters()]

    def step(b):
        opt.zero_grad(set_to_none=True)
        em = model.emissions(b['words'], b['shapes'], b['chars'], b['lengths'], b.get('features'))
        loss = model.loss(em, b['mask'], b['tagMask'])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        return loss

    for i in range(3):  # warm-up
        first = float(step(batches[i % len(batches)]))
    sentences = 0
    t0 = time.perf_counter()
    for i in range(steps):
        b = batches[(3 + i) % len(batches)]
        loss = step(b)
        sentences += b['words'].shape[0]
    dt = time.perf_counter() - t0
    return sentences / dt, dt, first, float(loss), model


def time_tagging(model, data, runs):
    def run():
        with torch.no_grad():
            em = model.emissions(data['words'], data['shapes'], data['chars'], data['lengths'], data.get('features'))
            if model.crf:
                return viterbi(em, data['lengths'], *model.scores())
            tags = em.argmax(dim=2)
            return [tags[b, :int(data['lengths'][b])].tolist() for b in range(tags.shape[0])]
    run()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        tags = run()
        times.append((time.perf_counter() - t0) * 1000)
    assert sum(len(t) for t in tags) == int(data['lengths'].sum())
    return statistics.median(times), times


def main():
    torch.set_num_threads(ARGS.threads)
    with open(ARGS.workload) as f:
        w = json.load(f)
    cfg = w['config']
    steps = int(w.get('steps', 50))

    gflops = matmul_gflops()
    blas, libs = blas_in_use()  # after the first GEMM every BLAS library is mapped
    log('torch %s, threads %d (torch.get_num_threads()=%d)' % (torch.__version__, ARGS.threads, torch.get_num_threads()))
    log('BLAS in use: %s' % blas)
    log('BLAS/LAPACK libraries mapped: %s' % ', '.join(libs))
    log('1024^3 float32 matmul: %.1f GFLOP/s' % gflops)
    if gflops < 20:
        log('WARNING: slow matmul, probably the reference BLAS; put OpenBLAS first on LD_LIBRARY_PATH')

    batches = [to_tensors(b, True) for b in w['train']]
    allowed = w.get('allowed')
    train_rates = []
    model = None
    for r in range(ARGS.repeats):
        rate, dt, first, last, model = train_once(cfg, allowed, batches, steps, ARGS.seed + r)
        train_rates.append(rate)
        log('train repeat %d: %d steps in %.2f s = %.1f sentences/s (loss %.3f -> %.3f)' % (r + 1, steps, dt, rate, first, last))
    if model is None:
        torch.manual_seed(ARGS.seed)
        model = Tagger(cfg, allowed)
    model.eval()

    doc = to_tensors(w['doc'], False)
    chunks = to_tensors(w['docChunks'] if w.get('docChunks') else chunk(w['doc']), False)
    sent = to_tensors(w['sentence'], False)
    doc_ms, doc_all = time_tagging(model, doc, 5)
    log('tag document (1 x %d tokens): median %.1f ms of %s' % (int(doc['lengths'][0]), doc_ms, ['%.1f' % t for t in doc_all]))
    chunks_ms, chunks_all = time_tagging(model, chunks, 5)
    log('tag document chunks (%d sentences, %d tokens): median %.1f ms of %s' % (
        chunks['words'].shape[0], int(chunks['lengths'].sum()), chunks_ms, ['%.1f' % t for t in chunks_all]))
    sent_ms, _ = time_tagging(model, sent, 20)
    log('tag sentence (%d tokens): median %.2f ms' % (int(sent['lengths'][0]), sent_ms))

    result = {
        'torch': torch.__version__,
        'blas': blas,
        'matmulGflops': round(gflops, 2),
        'threads': ARGS.threads,
        'trainSentencesPerSec': [round(x, 2) for x in train_rates],
        'trainMedian': round(statistics.median(train_rates), 2) if train_rates else None,
        'tagDocMs': round(doc_ms, 3),
        'tagDocChunksMs': round(chunks_ms, 3),
        'tagSentenceMs': round(sent_ms, 3),
        'peakRssMb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    sys.stdout.write(json.dumps(result) + '\n')
    sys.stdout.flush()


if __name__ == '__main__':
    main()
