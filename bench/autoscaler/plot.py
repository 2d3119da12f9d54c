#!/usr/bin/python3
"""Draws the simulation's CSV (sluice-autoscaler-sim --csv) as a PNG: one panel
per quantity, time in minutes, one line per policy. Run with Debian's
python3-matplotlib (/usr/bin/python3); run-sim.sh installs it if missing.

  plot.py burst  bench/results/autoscaler-burst.csv  docs/autoscaling-burst.png
  plot.py noise  bench/results/autoscaler-noise.csv  docs/autoscaling-noise.png \
          --restart-csv bench/results/autoscaler-noise-restart.csv
  plot.py steady bench/results/autoscaler-steady.csv docs/autoscaling-steady.png
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

# Lines overlap where policies agree: Sluice wide and pale underneath, the
# others narrower on top, each with its own dash.
STYLE = {
    "sluice": dict(color="#1f77b4", lw=5, ls="-", alpha=0.45, zorder=1,
                   label="Sluice WorkerAutoscaler (target 100, min 0)"),
    "keda-q100": dict(color="#ff7f0e", lw=2.2, ls="-", zorder=2, label="KEDA aws-sqs-queue, queueLength 100"),
    "hpa": dict(color="#d62728", lw=1.6, ls="--", zorder=3, label="plain HPA (target 100, min 1)"),
    "keda-q5": dict(color="#2ca02c", lw=2.0, ls=":", zorder=4, label="KEDA aws-sqs-queue, queueLength 5 (default)"),
    "sluice+if10": dict(color="#9467bd", lw=1.8, ls="-", zorder=5,
                        label="what-if: Sluice + in-flight trigger (10/replica)"),
}


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    lanes = [c[: -len("_replicas")] for c in rows[0] if c.endswith("_replicas")]
    t = [int(r["t"]) / 60 for r in rows]
    col = lambda lane, name: [float(r[f"{lane}_{name}"]) for r in rows]  # noqa: E731
    return t, lanes, col


def style(lane):
    return STYLE.get(lane, dict(lw=1.2, label=lane))


def replicas_panel(ax, t, lanes, col, title):
    for lane in lanes:
        ax.step(t, col(lane, "replicas"), where="post", **style(lane))
    ax.set_ylabel("replicas (spec.replicas)")
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(True, alpha=0.3)


def backlog_panel(ax, t, lanes, col, log=True):
    for lane in lanes:
        total = [v + f for v, f in zip(col(lane, "backlog"), col(lane, "in_flight"))]
        ax.plot(t, total, **style(lane))
    if log:
        ax.set_yscale("symlog", linthresh=100)
    ax.set_ylabel("messages visible + in flight")
    ax.set_title("backlog: messages waiting or in flight" + (" (log scale above 100)" if log else ""), fontsize=11,
                 loc="left")
    ax.grid(True, alpha=0.3)


def phases(axes, marks, y=0.5):
    for ax in axes:
        for x, text in marks:
            ax.axvline(x, color="grey", lw=0.8, alpha=0.7)
    for x, text in marks:
        axes[0].annotate(text, (x, y), xycoords=("data", "axes fraction"), xytext=(14, 0),
                         textcoords="offset points", fontsize=9, color="dimgrey")


def burst(args):
    t, lanes, col = read(args.csv)
    lanes = [l for l in lanes if "+" not in l]  # the what-if lane belongs to the steady plot
    fig = plt.figure(figsize=(11, 11), constrained_layout=True)
    a1, zoom, a2 = fig.subplots(3, 1, gridspec_kw=dict(height_ratios=[3, 2.4, 3]))
    replicas_panel(a1, t, lanes, col, "Burst of 100,000 messages at t=0, then 20 msg/s for 20 min, then silence "
                   "(workers: 10 msg/s each, Ready 10 s after creation)")
    a1.legend(loc="upper right", fontsize=9)
    replicas_panel(zoom, t, lanes, col, "replicas, minutes 13 to 27: after the burst, and to zero after the silence")
    zoom.set_xlim(13, 27)
    zoom.set_ylim(-0.5, 6.5)
    zoom.set_xticks(range(13, 28))
    backlog_panel(a2, t, lanes, col)
    a2.set_xlim(a1.get_xlim())
    phases([a1, a2], [(0, "burst, then 20 msg/s"), (20, "silence")])
    zoom.axvline(20, color="grey", lw=0.8, alpha=0.7)
    a2.set_xlabel("minutes")
    fig.savefig(args.out, dpi=110)


def noise(args):
    t, lanes, col = read(args.csv)
    panels = 3 if args.restart_csv else 2
    fig, axes = plt.subplots(panels, 1, figsize=(11, 3.3 * panels + 0.6), sharex=True, constrained_layout=True)
    a0 = axes[0]
    seen = col("sluice", "observed")
    a0.plot(t[::15], seen[::15], ".", color="#7f7f7f", ms=2.5, label="backlog as Sluice read it every 15 s (+-20% noise)")
    a0.plot(t, [v + f for v, f in zip(col("sluice", "backlog"), col("sluice", "in_flight"))], color="black", lw=1.5,
            label="true backlog (visible + in flight), held at 1000")
    a0.set_ylabel("messages")
    a0.set_title("Steady backlog of 1000 (10 replicas' worth at target 100), read with +-20% noise", fontsize=11,
                 loc="left")
    a0.legend(loc="lower right", fontsize=9)
    a0.grid(True, alpha=0.3)
    replicas_panel(axes[1], t, lanes, col, "replicas, seed 1: no reversal (the step 12 -> 11 is a single scale-in)")
    axes[1].legend(loc="lower right", fontsize=9)
    if args.restart_csv:
        t2, lanes2, col2 = read(args.restart_csv)
        replicas_panel(axes[2], t2, lanes2, col2,
                       f"replicas, seed {args.restart_seed}, every controller restarted at minute 60 "
                       "(operator leader change, kube-controller-manager restart)")
        for ax in axes[:2]:
            ax.set_xlim(axes[2].get_xlim())
        axes[2].axvline(60, color="grey", lw=0.8)
    axes[-1].set_xlabel("minutes")
    fig.savefig(args.out, dpi=110)


def steady(args):
    t, lanes, col = read(args.csv)
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 8), sharex=True, constrained_layout=True)
    replicas_panel(a1, t, lanes, col, "Steady 100 msg/s (needs exactly 10 replicas at 10 msg/s each), "
                   "metric read with +-20% noise")
    a1.axhline(10, color="black", lw=0.8, alpha=0.6)
    a1.annotate("needed: 10", (0, 10), xycoords=("axes fraction", "data"), xytext=(4, 3), textcoords="offset points",
                fontsize=9)
    a1.set_ylim(0, 28)  # room for the legend above the lines
    a1.legend(loc="upper center", fontsize=9, ncol=2)
    backlog_panel(a2, t, lanes, col, log=False)
    a2.set_xlabel("minutes")
    fig.savefig(args.out, dpi=110)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["burst", "noise", "steady"])
    p.add_argument("csv")
    p.add_argument("out")
    p.add_argument("--restart-csv", help="noise: a run with --restart-at 3600, for a third panel")
    p.add_argument("--restart-seed", default="?", help="the seed of that run, for its title")
    args = p.parse_args()
    {"burst": burst, "noise": noise, "steady": steady}[args.kind](args)


if __name__ == "__main__":
    main()
