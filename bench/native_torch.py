# PyTorch side of `npm run bench:native`: the same Llama-style decoder as rmr1's native model
# (pre-RMSNorm, RoPE rotate_half, SwiGLU, untied head, no biases), trained with AdamW + grad clipping
# on random tokens; prints one JSON line with the median step time. Written the way a careful
# PyTorch user would (fused q/k/v and gate/up projections, scale and causal mask fused into one
# baddbmm, as in the calibration runs), on CPU with a given thread count.
#
# Usage: /usr/bin/python3 bench/native_torch.py '{"dModel":128,"nLayers":4,"nHeads":4,"dFF":352,
#        "vocabSize":264,"batch":16,"seqLen":256,"threads":2,"steps":7,"warmup":2}'
import json
import math
import os
import sys
import time

config = json.loads(sys.argv[1])
threads = int(config["threads"])
os.environ.setdefault("OMP_NUM_THREADS", str(threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)

d, L, H, FF, V = config["dModel"], config["nLayers"], config["nHeads"], config["dFF"], config["vocabSize"]
B, T = config["batch"], config["seqLen"]
hd = d // H
eps = 1e-5


class RMSNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * self.weight


def rotate_half(x):
    x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
    return torch.cat((-x2, x1), dim=-1)


inv_freq = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
freqs = torch.outer(torch.arange(T).float(), inv_freq)
emb = torch.cat((freqs, freqs), dim=-1)
cos, sin = emb.cos(), emb.sin()
mask = torch.full((T, T), float("-inf")).triu(1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = RMSNorm(), RMSNorm()
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.gate_up = nn.Linear(d, 2 * FF, bias=False)
        self.down = nn.Linear(FF, d, bias=False)

    def forward(self, x):
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, H, hd).permute(2, 0, 3, 1, 4)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        q, k, v = (t.reshape(B * H, T, hd) for t in (q, k, v))
        att = torch.baddbmm(mask, q, k.transpose(1, 2), alpha=1 / math.sqrt(hd)).softmax(-1)
        y = torch.bmm(att, v).view(B, H, T, hd).transpose(1, 2).reshape(B, T, d)
        x = x + self.o(y)
        g, u = self.gate_up(self.ln2(x)).chunk(2, dim=-1)
        return x + self.down(F.silu(g) * u)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, d)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.norm = RMSNorm()
        self.head = nn.Linear(d, V, bias=False)

    def forward(self, idx):
        x = self.embed(idx)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x))


model = Model()
for name, p in model.named_parameters():
    if p.dim() == 2:
        nn.init.normal_(p, 0.0, 0.02 / (math.sqrt(2 * L) if name.endswith(("o.weight", "down.weight")) else 1))
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
data = torch.randint(0, V, (B, T + 1))
inputs, targets = data[:, :-1], data[:, 1:]


def step():
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(inputs).view(-1, V), targets.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


for _ in range(config.get("warmup", 2)):
    step()
times = []
for _ in range(config.get("steps", 7)):
    t = time.perf_counter()
    step()
    times.append(time.perf_counter() - t)
times.sort()
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and line.split()[-1].startswith("/")})
print(json.dumps({
    "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas,
    "params": sum(p.numel() for p in model.parameters()),
    "stepTimes": times, "medianStepSec": times[len(times) // 2], "tokensPerSec": B * T / times[len(times) // 2]
}))
