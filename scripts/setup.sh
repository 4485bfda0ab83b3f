#!/usr/bin/env bash
# Installs the Debian 12 packages cpcsim needs. Idempotent: skips what is present.
#   scripts/setup.sh            build + test + analysis + report + fuzzing (clang, libFuzzer) dependencies
#                               (and the tidy and tsan presets: clang-tidy, dpkg-dev for scripts/tsan-tbb.sh)
#   CPCSIM_SETUP_SLURM=1 ...    also the local Slurm packages used by the cluster tests
set -euo pipefail

packages=(
  cmake g++ make pkg-config git clang-format clang-tidy dpkg-dev
  clang libclang-rt-14-dev
  libboost-program-options-dev libtbb-dev libhdf5-dev hdf5-tools
  catch2 librandom123-dev libtomlplusplus-dev libbenchmark-dev valgrind
  libopenmpi-dev openmpi-bin libpmix-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-pytest python3-simpy3
  python3-scipy python3-sklearn
  chromium chromium-driver python3-selenium
  libcpp-httplib-dev libjs-leaflet libjs-chart.js
)
if [[ "${CPCSIM_SETUP_SLURM:-1}" == 1 ]]; then
  packages+=(slurmctld slurmd slurm-client munge)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
