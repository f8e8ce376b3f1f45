#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole suite headless: first the normal build
# (_build/), then the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (_build-asan/). Exits non-zero on any failure.
#   ./build-aux/test.sh            everything
#   ./build-aux/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

./build-aux/deps.sh --test

run_suite () {
  local dir=$1; shift
  [ -d "$dir" ] || meson setup "$dir" "$@"
  ninja -C "$dir"
  # A private session bus and X server: GTK's accessibility bridge needs the one, widgets the other.
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    meson test -C "$dir" --print-errorlogs --num-processes 2
}

run_suite _build

if [ $quick -eq 0 ]; then
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  run_suite _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
fi
