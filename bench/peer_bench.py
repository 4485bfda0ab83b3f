#!/usr/bin/python3
"""cpcsim against its SimPy peer (bench/simpy_peer.py), whole processes, same replicate.

Times `cpcsim run SCENARIO -r 1 -t 1` (one default replicate on one thread, HDF5 written) in two
forms, alternated: with every output (the default: the full monthly table by cell, which the peer
does not produce) and with `--store annual` (annual and provider tables, no monthly table: the
closer like-for-like, since the peer writes only region totals per year); and the SimPy peer of
the same region, parameters, warm-up and horizon. Each is a whole process (start-up, reading inputs
and writing outputs included). Prints medians of wall time and of CPU time (user + system of the
child process: steadier than wall time on a shared machine), both ratios, and one
machine-readable line starting with `BENCH_PEER `.

A ratio of times means something only if both programs did the same work, so it also sets the
headline outcomes of one cpcsim replicate beside the peer's (children alive in a year, deaths,
the hospital share of deaths, access, unplanned admissions) with their relative differences.
`--check` does only that, untimed, and exits 1 if any outcome differs by more than
`--tolerance` (default 12%; both runs are seeded, so the check is deterministic): a ctest keeps
the peer doing cpcsim's work as the model changes.

Usage: bench/peer_bench.py [--binary build/release/cpcsim] [--scenario ...] [--cpcsim-repeat 7]
                           [--peer-repeat 1] [--check [--tolerance 0.12]]
"""
import argparse
import json
import math
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


# cpcsim's summary measure and the peer's name for the same outcome.
OUTCOMES = [("children_per_year", "mean_children_per_year"), ("deaths_per_year", "deaths_per_year"),
            ("death_hospital_share", "hospital_death_share"), ("access_rate", "access_rate"),
            ("unplanned_admissions_per_year", "admissions_per_year")]


def cpcsim_outcomes(binary, scenario, out):
    """The headline outcomes of one replicate, from `cpcsim run`'s printed summary."""
    done = subprocess.run([binary, "run", scenario, "-r", "1", "-t", "1", "--store", "annual", "-o", out],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"peer_bench: cpcsim run failed ({done.returncode}):\n{done.stderr}")
    values, wanted = {}, {name for name, _ in OUTCOMES}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in wanted:
            values[parts[0]] = float(parts[1])
    missing = [k for k, _ in OUTCOMES if k not in values]
    if missing:
        sys.exit(f"peer_bench: cpcsim run printed no {', '.join(missing)}:\n{done.stdout}")
    return values


def compare_outcomes(cp, peer, tolerance):
    """Prints the two programs' outcomes side by side; returns {name: [cpcsim, peer]} and whether
    every relative difference is within the tolerance."""
    table, ok = {}, True
    print(f"{'outcome (one replicate each)':32} {'cpcsim':>10} {'SimPy peer':>11} {'difference':>11}")
    for name, peer_name in OUTCOMES:
        c, p = cp[name], float(peer[peer_name])
        diff = (p - c) / c if c else math.inf
        within = abs(diff) <= tolerance
        ok &= within
        table[name] = [c, p]
        print(f"{name:32} {c:10.4g} {p:11.4g} {diff:+10.1%}{'' if within else '  <- beyond ' + format(tolerance, '.0%')}")
    return table, ok


def run_peer(binary, scenario):
    wall, cpu, text = timed([sys.executable, os.path.join(HERE, "simpy_peer.py"), binary, os.path.dirname(scenario)])
    return wall, cpu, json.loads(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/cpcsim"))
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios/yorkshire-humber/no-network.toml"))
    ap.add_argument("--cpcsim-repeat", type=int, default=7)
    ap.add_argument("--peer-repeat", type=int, default=1)
    ap.add_argument("--check", action="store_true",
                    help="only compare the outcomes (untimed); exit 1 if any differs by more than --tolerance")
    ap.add_argument("--tolerance", type=float, default=0.12)
    a = ap.parse_args()
    cp, cp_annual = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.h5")
        outcomes = cpcsim_outcomes(a.binary, a.scenario, out)
        if a.check:
            table, ok = compare_outcomes(outcomes, run_peer(a.binary, a.scenario)[2], a.tolerance)
            print("the peer does cpcsim's work" if ok else "the peer no longer does cpcsim's work: see above")
            sys.exit(0 if ok else 1)
        run = [a.binary, "run", a.scenario, "-r", "1", "-t", "1", "-q", "-o", out]
        for _ in range(max(1, a.cpcsim_repeat)):  # alternated, so both see the same machine load
            cp.append(timed(run)[:2])
            cp_annual.append(timed(run + ["--store", "annual"])[:2])
    peer = []
    for _ in range(max(1, a.peer_repeat)):
        peer.append(run_peer(a.binary, a.scenario))
    med = lambda xs: statistics.median(xs)
    c_wall, c_cpu = med([w for w, _ in cp]), med([c for _, c in cp])
    ca_wall, ca_cpu = med([w for w, _ in cp_annual]), med([c for _, c in cp_annual])
    p_wall, p_cpu = med([w for w, _, _ in peer]), med([c for _, c, _ in peer])
    print(f"cpcsim run, 1 replicate, 1 thread, every output (median of {len(cp)}): "
          f"{c_wall:.3f} s wall, {c_cpu:.3f} s CPU")
    print(f"cpcsim run, the same with --store annual  (median of {len(cp_annual)}): "
          f"{ca_wall:.3f} s wall, {ca_cpu:.3f} s CPU")
    print(f"SimPy peer, same replicate, region totals per year (median of {len(peer)}): "
          f"{p_wall:.2f} s wall, {p_cpu:.2f} s CPU")
    print(f"ratio (peer / cpcsim --store annual, the like-for-like): {p_wall / ca_wall:.0f}x wall, "
          f"{p_cpu / ca_cpu:.0f}x CPU (target >= 200x)")
    print(f"ratio (peer / cpcsim with every output, which also writes the monthly table by cell): "
          f"{p_wall / c_wall:.0f}x wall, {p_cpu / c_cpu:.0f}x CPU")
    table, comparable = compare_outcomes(outcomes, peer[0][2], a.tolerance)
    print("BENCH_PEER " + json.dumps({"cpcsim_wall_s": round(c_wall, 4), "cpcsim_cpu_s": round(c_cpu, 4),
                                      "cpcsim_annual_wall_s": round(ca_wall, 4),
                                      "cpcsim_annual_cpu_s": round(ca_cpu, 4),
                                      "simpy_wall_s": round(p_wall, 3), "simpy_cpu_s": round(p_cpu, 3),
                                      "ratio_wall": round(p_wall / c_wall, 1), "ratio_cpu": round(p_cpu / c_cpu, 1),
                                      "ratio_annual_wall": round(p_wall / ca_wall, 1),
                                      "ratio_annual_cpu": round(p_cpu / ca_cpu, 1),
                                      "like_for_like": "annual", "outcomes": table,
                                      "comparable": comparable}))


if __name__ == "__main__":
    main()
