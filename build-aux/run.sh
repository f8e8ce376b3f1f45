#!/usr/bin/env bash
# Builds Convex Migrate into _build/ (installing what is missing) and starts it on the demo: a local
# test deployment seeded with demo/sample-export.zip, and a copy of demo/project pointed at it, so
# export, browse and import work with no Convex account and no network. The server stops when the
# app exits.
#   ./build-aux/run.sh                  the demo
#   ./build-aux/run.sh ~/src/my-app     your own project (and/or archives) instead; no demo server
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh --demo
[ -f _build/build.ninja ] || meson setup _build
ninja -C _build

export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
if [ $# -gt 0 ]; then
  exec ./_build/src/convex-migrate "$@"
fi

# The real CLI for the demo project. Without Node.js the app still starts; it will say what is missing.
cli_ok=1
./build-aux/cli.sh || cli_ok=0

demo=_build/demo
rm -rf "$demo"
mkdir -p "$demo"
cp -r demo/project "$demo/project"
if [ $cli_ok -eq 1 ]; then
  ln -s "$PWD/tests/convex-cli/node_modules" "$demo/project/node_modules"
fi

server_pid=
cleanup () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

./_build/tests/deployment/cmg-test-deployment --name local-demo-deployment \
  --seed demo/sample-export.zip > "$demo/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^Listening on //p' "$demo/server.log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "The demo deployment did not start:" >&2
  cat "$demo/server.log" >&2
  exit 1
fi

cat > "$demo/project/.env.local" <<ENV
# The local demo deployment that build-aux/run.sh started on this computer (a test server, not
# Convex's cloud): safe to export from and import into. It stops when the app exits.
CONVEX_SELF_HOSTED_URL=$url
CONVEX_SELF_HOSTED_ADMIN_KEY=test-admin-key
ENV

echo "Demo deployment at $url (log: $demo/server.log)"
./_build/src/convex-migrate "$PWD/$demo/project" "$PWD/demo/sample-export.zip"
