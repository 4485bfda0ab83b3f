#!/usr/bin/env bash
# The README's "What drives the effect" table: the full network against no network (paired, 10
# replicates) as defined and under variants of the assumptions that carry its effect. Prints a
# markdown table. About 3 minutes on 2 quiet cores.
# usage: scripts/network-variants.sh [OUT_DIR]   (default out/variants; uses build/release/cpcsim)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/variants}
B=build/release/cpcsim
Y=scenarios/yorkshire-humber
mkdir -p "$out"
variants=(
    "as defined (engagement rise 1.2 a year)|"
    "engagement rising slowly (0.3 a year)|network.engagement_rise_per_year=0.3"
    "engagement rising fast (5 a year)|network.engagement_rise_per_year=5"
    "every member at the mean of its type (no spread)|network.engagement_spread=0"
    "no 24/7 rota|network.rota_24_7=false"
    "rota with 2 adult palliative consultants and out-of-hours nursing commissioned across areas|network.rota_adult_consultants=2 network.rota_joint_nursing=true"
    "no ACP anywhere, in both arms|care.acp_prob_per_contact=0 care.acp_prob_stable_contact=0 eol.inpatient_acp_prob=0"
    "achievement without 24/7 cover at its highest (0.6, prior range 0.4-0.6)|eol.achievement_prob.without_cover=0.6"
    "admission ratio with 24/7 cover at its weakest (0.9, range 0.5-0.9)|admission.rr_specialist_24_7=0.9"
)
files=()
for i in "${!variants[@]}"; do
    IFS='|' read -r name sets <<<"${variants[$i]}"
    args=()
    for s in $sets; do args+=(--set "$s"); done
    f="$out/variant-$i.h5"
    "$B" compare "$Y/no-network.toml" "$Y/full-network.toml" -r 10 -o "$f" -q --store annual "${args[@]}" >/dev/null
    files+=("$f|$name")
done
/usr/bin/python3 - "${files[@]}" <<'PY'
import sys
import numpy as np
sys.path.insert(0, ".")
from analysis.compare import compare_arms
from analysis.results import open_results

def pts(row):
    return f"{100 * row.difference:+.1f} pts [{100 * row.low:+.1f}, {100 * row.high:+.1f}]"

print("| variant of the full network | hospital deaths, network − none | access, network − none "
      "| 24/7 areas, network (none) | mean engagement reached |")
print("|---|---|---|---|---|")
for item in sys.argv[1:]:
    path, name = item.split("|", 1)
    with open_results(path) as r:
        c = compare_arms(r, ["death_hospital_share", "access_rate", "areas_24_7_share"]).set_index("measure")
        eng = r.arm("B").array("runs/provider")[..., list(r.arm("B").label_values("provider_var")).index("engagement")]
        cover = c.loc["areas_24_7_share"]
        print(f"| {name} | {pts(c.loc['death_hospital_share'])} | {pts(c.loc['access_rate'])} "
              f"| {100 * cover.mean_b:.0f}% ({100 * cover.mean_a:.0f}%) | {float(np.mean(eng)):.2f} |")
PY
