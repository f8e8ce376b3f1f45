#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (in _build-fuzz/), and runs each for a while on its seed corpus.
#   ./build-aux/fuzz.sh              every target, 30 seconds each
#   ./build-aux/fuzz.sh 300          every target, 5 minutes each
#   ./build-aux/fuzz.sh 60 fuzz-value   one target
# New interesting inputs go to _build-fuzz/corpus/<target>/; crash reproducers to
# _build-fuzz/crashes/. Exits non-zero when a target crashes (or fails to build).
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
build=_build-fuzz

if ! command -v clang >/dev/null; then
  echo "clang is needed for libFuzzer (Debian: apt-get install clang libclang-rt-dev)" >&2
  exit 1
fi

if [ ! -f "$build/build.ninja" ]; then
  # The core is instrumented for coverage too (fuzzer-no-link), not only the targets.
  CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dc_args=-fsanitize=fuzzer-no-link || exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz-*.c; do
    name=$(basename "$source" .c)
    [ "$name" = fuzz-replay ] && continue
    targets+=("$name")
  done
fi

ninja -C "$build" $(printf 'tests/fuzz/%s ' "${targets[@]}") || exit 1

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
mkdir -p "$build/crashes"
for name in "${targets[@]}"; do
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  seeds=()
  [ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
  echo "== $name for ${seconds}s"
  if ! "$build/tests/fuzz/$name" "$corpus" "${seeds[@]}" -max_total_time="$seconds" \
       -rss_limit_mb=2048 -timeout=20 -artifact_prefix="$build/crashes/$name-" -print_final_stats=1; then
    echo "!! $name crashed: see $build/crashes/" >&2
    status=1
  fi
done
exit $status
