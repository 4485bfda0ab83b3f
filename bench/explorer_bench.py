#!/usr/bin/python3
"""Time to the explorer's first answer (issue 15): starts `cpcsim serve` on a free port with the
default region, moves levers as the page does (POST /api/run), polls /api/status every 5 ms and
prints the seconds from the request to the first paired results, and to the full answer.

Usage: bench/explorer_bench.py [CPCSIM] [--threads T] [--replicates N] [--repeats K]
Prints one line per repeat and the median; the figure in docs/explorer.md comes from here."""
import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cpcsim", nargs="?", default="build/release/cpcsim")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    proc = subprocess.Popen([a.cpcsim, "serve", "--port", "0", "-t", str(a.threads), "-r", str(a.replicates),
                             "--results", "/tmp/cpcsim-bench-explorer"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        print(line.strip())
        url = line.split()[2]
        firsts, fulls = [], []
        for k in range(a.repeats):
            # Alternate settings so that no answer is reused.
            fields = {"network.rota_24_7": "true", "network.pooled_capacity": "true",
                      "funding.statutory_multiplier": str(1.1 + 0.1 * k)}
            data = urllib.parse.urlencode(fields).encode()
            t0 = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(url + "api/run", data=data), timeout=60) as r:
                job = json.load(r)["job"]
            first = None
            while True:
                with urllib.request.urlopen(f"{url}api/status?job={job}", timeout=60) as r:
                    s = json.load(r)
                if first is None and s.get("done", 0) > 0:
                    first = time.perf_counter() - t0
                if s["state"] in ("done", "failed", "cancelled", "superseded"):
                    break
                time.sleep(0.005)
            full = time.perf_counter() - t0
            firsts.append(first)
            fulls.append(full)
            print(f"repeat {k + 1}: first answer ({min(a.threads, a.replicates)} paired replicates) {first:.3f} s; "
                  f"all {a.replicates} in {full:.3f} s")
        print(f"median first answer: {statistics.median(firsts):.3f} s on {a.threads} threads; "
              f"median full answer: {statistics.median(fulls):.3f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
