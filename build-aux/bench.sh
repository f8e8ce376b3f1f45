#!/usr/bin/env bash
# Benchmarks the snapshot engine (not a test): generates a realistic export (default about
# 300 MB uncompressed, about a million documents over four tables) in a temporary directory and
# prints open time, counting beside `unzip -p … | wc -l` and beside raw zlib inflate, row fetch,
# search throughput and peak RSS.
#   ./build-aux/bench.sh                 the default size
#   ./build-aux/bench.sh --size 3000     about 3 GB uncompressed
#   ./build-aux/bench.sh --dir DIR       keep the generated export in DIR
# BUILD_DIR selects the build directory (default _build-bench, an optimised build).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-_build-bench}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release
fi
ninja -C "$build" tests/snapshot/cmg-bench

if ! command -v unzip >/dev/null 2>&1; then
  echo "note: unzip is not installed; its column will read n/a" >&2
fi
exec "$build/tests/snapshot/cmg-bench" "$@"
