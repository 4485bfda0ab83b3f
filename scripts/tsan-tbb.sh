#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer into .deps/tbb-tsan, for the `tsan` preset.
#
# Debian's libtbb.so is not instrumented: TSan cannot see the happens-before edges of TBB's task
# spawning and stealing, so every parallel_for reports false data races (also on our own lambda
# lines), and suppressions either hide real races or miss the false ones
# (../shared/research/toolchain.md, section 6). An instrumented oneTBB, built from Debian's own
# source package (the same version and patches as libtbb-dev), gives clean, trustworthy reports.
# The system's apt configuration is left alone: the deb-src list is generated under build/.
# Takes about 2 MB of download and under a minute. Idempotent: does nothing if already built.
#
#   bash scripts/tsan-tbb.sh && cmake --preset tsan && cmake --build --preset tsan && ctest --preset tsan-unit
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
prefix=$root/.deps/tbb-tsan
if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]; then
  echo "tsan-tbb: already built in $prefix"
  exit 0
fi
src=$root/build/tbb-src
mkdir -p "$src/parts" "$src/lists/partial"
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src/parts/debian-src.sources"
apto=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$src/parts" -o "Dir::State::Lists=$src/lists")
apt-get "${apto[@]}" update > "$src/apt-update.log"
version=$(dpkg-query -W -f='${source:Version}' libtbb-dev 2>/dev/null || true)
(cd "$src" && rm -rf onetbb-*/ && apt-get "${apto[@]}" source "onetbb${version:+=$version}" > "$src/apt-source.log")
tree=$(find "$src" -maxdepth 1 -type d -name 'onetbb-*' | head -n 1)
[ -n "$tree" ] || { echo "tsan-tbb: no onetbb source tree in $src" >&2; exit 1; }
cmake -S "$tree" -B "$src/tbb-build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread -DTBB_TEST=OFF \
  -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF -DCMAKE_INSTALL_PREFIX="$prefix" > "$src/configure.log"
cmake --build "$src/tbb-build" -j2 > "$src/build.log"
cmake --install "$src/tbb-build" > "$src/install.log"
echo "tsan-tbb: installed in $prefix"
