#!/usr/bin/python3
"""cpcsim against its SimPy peer (bench/simpy_peer.py), whole processes, same replicate.

Times `cpcsim run SCENARIO -r 1 -t 1` (one default replicate on one thread, HDF5 written) and
the SimPy peer of the same region, parameters, warm-up and horizon, each as a whole process
(start-up, reading inputs and writing outputs included). Prints medians of wall time and of CPU
time (user + system of the child process: steadier than wall time on a shared machine), the
ratios, and one machine-readable line starting with `BENCH_PEER `.

Usage: bench/peer_bench.py [--binary build/release/cpcsim] [--scenario ...] [--cpcsim-repeat 7]
                           [--peer-repeat 1]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd):
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"peer_bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/cpcsim"))
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios/yorkshire-humber/no-network.toml"))
    ap.add_argument("--cpcsim-repeat", type=int, default=7)
    ap.add_argument("--peer-repeat", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        cp = [timed([a.binary, "run", a.scenario, "-r", "1", "-t", "1", "-q", "-o", out])[:2]
              for _ in range(max(1, a.cpcsim_repeat))]
    peer = []
    for _ in range(max(1, a.peer_repeat)):
        wall, cpu, text = timed([sys.executable, os.path.join(HERE, "simpy_peer.py"), a.binary,
                                 os.path.dirname(a.scenario)])
        peer.append((wall, cpu, json.loads(text)))
    med = lambda xs: statistics.median(xs)
    c_wall, c_cpu = med([w for w, _ in cp]), med([c for _, c in cp])
    p_wall, p_cpu = med([w for w, _, _ in peer]), med([c for _, c, _ in peer])
    print(f"cpcsim run, 1 replicate, 1 thread (median of {len(cp)}): {c_wall:.3f} s wall, {c_cpu:.3f} s CPU")
    print(f"SimPy peer, same replicate     (median of {len(peer)}): {p_wall:.2f} s wall, {p_cpu:.2f} s CPU")
    print(f"ratio (peer / cpcsim): {p_wall / c_wall:.0f}x wall, {p_cpu / c_cpu:.0f}x CPU (target >= 200x)")
    print("peer outcomes (a sanity check that both did comparable work):", json.dumps(peer[0][2]))
    print("BENCH_PEER " + json.dumps({"cpcsim_wall_s": round(c_wall, 4), "cpcsim_cpu_s": round(c_cpu, 4),
                                      "simpy_wall_s": round(p_wall, 3), "simpy_cpu_s": round(p_cpu, 3),
                                      "ratio_wall": round(p_wall / c_wall, 1), "ratio_cpu": round(p_cpu / c_cpu, 1)}))


if __name__ == "__main__":
    main()
