"""cuDNN's conv2d + bias + relu on the reference experiment's shape, timed with CUDA events, for comparison
with `webnn bench interop` in the same device call: python3 bench/pytorch_conv2d.py [--size 100] [--iterations 200]"""
import argparse
import statistics

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--size", type=int, default=100)
parser.add_argument("--iterations", type=int, default=200)
args = parser.parse_args()
s = args.size
torch.backends.cudnn.benchmark = True
x = torch.full((1, s, s, s), 0.01, device="cuda").to(memory_format=torch.channels_last)
w = torch.full((s, s, 3, 3), 0.01, device="cuda").to(memory_format=torch.channels_last)
b = torch.full((s,), 0.1, device="cuda")

def run():
    return torch.relu(torch.nn.functional.conv2d(x, w, b, padding=1))

for tf32 in (False, True):
    torch.backends.cudnn.allow_tf32 = tf32
    torch.backends.cuda.matmul.allow_tf32 = tf32
    for _ in range(20):
        y = run()
    torch.cuda.synchronize()
    times = []
    for _ in range(args.iterations):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        y = run()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    centre = y[0, :, s // 2, s // 2].mean().item()
    print(f"PyTorch {torch.__version__} cuDNN conv2d+bias+relu fp32{' (TF32)' if tf32 else ''}: median {statistics.median(times):.3f} ms, min {min(times):.3f} ms (centre value {centre:.4f})")
