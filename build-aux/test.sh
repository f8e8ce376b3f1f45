#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole suite headless: first the normal build
# (_build/), then the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (_build-asan/). Exits non-zero on any failure.
#   ./build-aux/test.sh            everything
#   ./build-aux/test.sh --quick    the normal build only
set -uo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

./build-aux/deps.sh --test || exit 1
# The pinned Convex CLI for the end-to-end tests (npm ci in tests/convex-cli).
./build-aux/cli.sh || exit 1

status=0
logs=()

run_suite () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  fi
  ninja -C "$dir" || return 1
  logs+=("$dir/meson-logs/testlog.json")
  # A private session bus and X server: GTK's accessibility bridge needs the one, widgets the other.
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier "${TIMEOUT_MULTIPLIER:-1}"
}

run_suite _build || status=1

if [ $quick -eq 0 ]; then
  # Sanitizer run: leaks are not checked here (GTK and fontconfig keep caches for the process's life).
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  TIMEOUT_MULTIPLIER=4 run_suite _build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug || status=1
fi

# One closing line for both runs.
python3 - "${logs[@]}" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        pass
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

exit $status
