"""Pretrains the course's split-brain network (its PyTorch mirror, splitbrain.py) with DistributedDataParallel under
torchrun: one process per GPU with NCCL, or CPU processes with gloo. Starts from the course's exported weights
(--init, lib/Interop/NetworkWeights.cs) or from scratch (--model), trains on an image folder, and writes the weights
back as safetensors, which the course imports (tools/weights.cs import) and probes like any run.

  # 2 CPU processes (gloo), a few steps:
  python3 -m torch.distributed.run --nproc_per_node 2 interop/pytorch/train_ddp.py \
      --data data/synthetic-png --init small.safetensors --steps 20 --batch 16 --out trained.safetensors
  # every GPU of one machine (NCCL): torchrun --nproc_per_node gpu interop/pytorch/train_ddp.py ...
  # a cluster: see interop/pytorch/README.md (srun + torchrun, one launcher per node)

Each process reads its share of the images (a DistributedSampler), and DDP averages the gradients, so the global batch
is --batch times the number of processes. The targets are the hard ones of the course's default (TargetConfig.Hard):
the nearest of the 313 ab bins (F1's) and of the L bins (F2's) on 8 x 8 block means; inputs are F1's (L - 50) / 100 and
F2's ab / 110; Adam with a linear warm-up and a cosine decay; random horizontal flips. On GPUs BatchNorm is synchronised
across processes (--sync-bn, the default there); the names of the written tensors do not change.
"""
import argparse
import dataclasses
import math
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from images import load_folder
from safetensors_io import load_weights, save_file
from splitbrain import Architecture, SplitBrainNet, ab_bins, hard_targets, network_inputs, rgb_to_lab

PRESETS = {"small": Architecture.small(), "default": Architecture(), "paper": Architecture(fc=2048)}


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="a folder of images (searched recursively)")
    p.add_argument("--out", required=True, help="the safetensors file to write (rank 0 writes it)")
    p.add_argument("--init", help="weights to start from (safetensors or a state_dict file); else a fresh network")
    p.add_argument("--model", choices=sorted(PRESETS), default="small", help="the architecture without --init")
    p.add_argument("--l-bins", type=int, default=100, help="F2's L bins without --init (TargetConfig.LightnessBins)")
    p.add_argument("--steps", type=int, default=100, help="optimizer steps")
    p.add_argument("--batch", type=int, default=64, help="images per process and step")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=0, help="steps of linear warm-up")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--image-size", type=int, default=96, help="side the images are resized and cropped to")
    p.add_argument("--limit", type=int, help="read only the first N images")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--bf16", action="store_true", help="write the weights in bfloat16 (float32 by default)")
    p.add_argument("--amp", action="store_true", help="forward passes under torch.autocast in bfloat16")
    p.add_argument("--sync-bn", choices=["auto", "on", "off"], default="auto", help="SyncBatchNorm (auto: on GPUs)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--threads", type=int, default=0, help="torch threads per process (0: torch's default)")
    p.add_argument("--log-every", type=int, default=10)
    a = p.parse_args()
    if a.image_size % 8:
        p.error("--image-size must be a multiple of 8 (the targets are 8 x 8 block means)")
    return a


def main():
    a = parse()
    use_cuda = a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available())
    if "RANK" not in os.environ:  # a plain `python3 train_ddp.py`: one process
        os.environ.update(RANK="0", WORLD_SIZE="1", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1", MASTER_PORT="29517")
    dist.init_process_group("nccl" if use_cuda else "gloo")
    rank, world, local = dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)  # the same fresh weights on every rank (DDP also broadcasts rank 0's)

    if a.init:
        state = {k: v.float() if v.is_floating_point() else v for k, v in load_weights(a.init).items()}
        net = SplitBrainNet.from_state_dict(state)
    else:
        net = SplitBrainNet(dataclasses.replace(PRESETS[a.model], l_bins=a.l_bins))
    arch = net.architecture
    if a.sync_bn == "on" or (a.sync_bn == "auto" and use_cuda):
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    net = net.to(device)
    model = DistributedDataParallel(net, device_ids=[local] if use_cuda else None)

    images = load_folder(a.data, a.image_size, a.limit)  # [N, 3, S, S] uint8, every rank the same list
    sampler = torch.utils.data.DistributedSampler(range(len(images)), num_replicas=world, rank=rank, shuffle=True,
                                                  seed=a.seed, drop_last=True)
    if len(sampler) < a.batch:
        raise SystemExit(f"{len(images)} images give each of {world} processes {len(sampler)}, fewer than --batch {a.batch}")
    bins = ab_bins().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / a.warmup) if s < a.warmup else
                                                 0.5 * (1 + math.cos(math.pi * (s - a.warmup) / max(1, a.steps - a.warmup))))
    if rank == 0:
        print(f"train_ddp: {world} process(es), {'nccl' if use_cuda else 'gloo'} on {device.type}, {len(images)} images "
              f"of {a.image_size}px, batch {a.batch} per process ({a.batch * world} in all), {a.steps} steps, "
              f"{'weights from ' + a.init if a.init else 'a fresh ' + a.model + ' network'}", flush=True)

    model.train()
    step, epoch, start, loss_value = 0, 0, time.perf_counter(), float("nan")
    while step < a.steps:
        sampler.set_epoch(epoch)
        order = list(sampler)
        for first in range(0, len(order) - a.batch + 1, a.batch):
            if step >= a.steps:
                break
            batch = images[order[first:first + a.batch]].to(device).float() / 255
            flip = torch.rand(batch.shape[0], device=device) < 0.5
            batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(3), batch)
            lab = rgb_to_lab(batch)
            l_in, ab_in = network_inputs(lab)
            ab_t, l_t = hard_targets(lab, bins, arch.l_bins)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.amp):
                f1, f2 = model(l_in, ab_in)
            loss = F.cross_entropy(f1.float(), ab_t) + F.cross_entropy(f2.float(), l_t)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            schedule.step()
            step += 1
            if step % a.log_every == 0 or step == a.steps:
                mean = loss.detach().clone()
                dist.all_reduce(mean)
                loss_value = mean.item() / world
                if rank == 0:
                    print(f"step {step}/{a.steps} loss {loss_value:.4f} ({time.perf_counter() - start:.1f} s)", flush=True)
        epoch += 1

    if rank == 0:
        state = net.state_dict()
        if a.bf16:
            state = {k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in state.items()}
        temporary = a.out + ".tmp"
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        save_file(state, temporary, metadata={"steps": step, "processes": world, "loss": f"{loss_value:.6f}"})
        os.replace(temporary, a.out)
        print(f"train_ddp: wrote {a.out} ({len(state)} tensors) after {step} steps on {world} process(es), "
              f"loss {loss_value:.4f}", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
