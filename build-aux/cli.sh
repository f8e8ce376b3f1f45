#!/usr/bin/env bash
# Installs the pinned Convex CLI (tests/convex-cli: package.json + package-lock.json) that the
# end-to-end tests and the demo run, with `npm ci`. Does nothing when it is already installed
# and newer than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=tests/convex-cli

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "The real Convex CLI needs Node.js and npm, and this system lacks them." >&2
  echo "Install them (Debian/Ubuntu: sudo apt-get install nodejs npm), then run $0 again." >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json on every install: it tells when the install was made.
installed=$dir/node_modules/.package-lock.json
if [ -f "$dir/node_modules/convex/package.json" ] && [ -f "$installed" ] \
   && [ ! "$dir/package-lock.json" -nt "$installed" ]; then
  exit 0
fi

echo "Installing the pinned Convex CLI into $dir/node_modules (npm ci)…"
if ! (cd "$dir" && npm ci --no-audit --no-fund); then
  echo "npm ci failed in $dir: check the network or the npm registry settings, then run $0 again." >&2
  exit 1
fi

wanted=$(node -p "require('./$dir/package.json').dependencies.convex")
got=$(node -p "require('./$dir/node_modules/convex/package.json').version")
if [ "$wanted" != "$got" ]; then
  echo "Installed convex $got, but $dir/package.json pins $wanted." >&2
  exit 1
fi
echo "Convex CLI $got is ready."
