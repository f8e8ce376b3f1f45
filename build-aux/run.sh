#!/usr/bin/env bash
# Builds Convex Migrate into _build/ (installing what is missing) and starts it on the demo project.
# Any arguments replace the demo project: ./build-aux/run.sh ~/src/my-convex-app
set -euo pipefail
cd "$(dirname "$0")/.."

./build-aux/deps.sh
[ -d _build ] || meson setup _build
ninja -C _build

export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
if [ $# -eq 0 ]; then
  set -- "$PWD/demo/project"
fi
exec ./_build/src/convex-migrate "$@"
