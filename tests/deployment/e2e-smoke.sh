#!/usr/bin/env bash
# The real Convex CLI against the local test deployment: export (with file storage) from a seeded
# deployment, import that export with --replace-all into an empty one, export again; both exports
# must hold the same tables, documents and files.
#   e2e-smoke.sh SERVER-BINARY CLI-DIR
# Skips (77) only when node is absent; fails when node is there but the pinned CLI is not installed.
set -euo pipefail

server=$1
cli_dir=$2

if ! command -v node >/dev/null 2>&1; then
  echo "node is not installed: skipping the real-CLI smoke test"
  exit 77
fi
if ! command -v npx >/dev/null 2>&1 || [ ! -f "$cli_dir/node_modules/convex/package.json" ]; then
  echo "The pinned Convex CLI is not installed in $cli_dir: run ./build-aux/cli.sh first." >&2
  exit 1
fi
cli_dir=$(cd "$cli_dir" && pwd)

# Only the variables set below may pick the CLI's target.
for var in $(env | sed -n 's/^\(CONVEX_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset "$var"
done

tmp=$(mktemp -d)
pids=()
cleanup () {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

url=
start_server () {
  local out=$tmp/$1.out
  shift
  "$server" --port 0 "$@" > "$out" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^Listening on ' "$out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/^Listening on //p' "$out")
  if [ -z "$url" ]; then
    echo "The test deployment did not start." >&2
    exit 1
  fi
}

convex () {
  local target=$1
  shift
  (cd "$tmp/project" && CI=1 CONVEX_SELF_HOSTED_URL=$target CONVEX_SELF_HOSTED_ADMIN_KEY=test-admin-key \
     npx convex "$@")
}

mkdir "$tmp/project"
printf '{"name":"e2e-smoke","private":true,"dependencies":{"convex":"*"}}\n' > "$tmp/project/package.json"
ln -s "$cli_dir/node_modules" "$tmp/project/node_modules"

python3 - "$tmp/seed.zip" <<'PY'
import sys, zipfile
members = {
    "_tables/documents.jsonl": '{"name":"users","id":10001}\n{"name":"messages","id":10002}\n',
    "users/documents.jsonl":
        '{"name":"Ada","age":36,"ratio":1.0,"avatar":{"$bytes":"iVBORw0K"},"tags":["a","b"]}\n'
        '{"name":"Grace","age":-9007199254740993,"score":{"$float":"AAAAAAAA8H8="},"ratio":-0.0}\n'
        '{"name":"Édith","profile":{"city":"Paris","zip":null}}\n',
    "users/generated_schema.jsonl": '"uniform"\n',
    "messages/documents.jsonl": '{"body":"hello"}\n{"body":"second","n":2}\n',
    "messages/generated_schema.jsonl": '"uniform"\n',
    "_storage/documents.jsonl":
        '{"_id":"kg2a6bphbjv91qahresftq15e8zqyd82","_creationTime":1732406450000.125,'
        '"sha256":"HF9nmLd/jYrPhYZgvgGzXEeS6A2ldYLkFdEH50fny4Y=","size":11,"contentType":"text/plain",'
        '"internalId":"3f2b8f0c-2a51-4d0e-9a7b-6a1f0c9e5d21"}\n',
    "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt": "hello world",
    "_components/limiter/_tables/documents.jsonl": '{"name":"limits","id":10001}\n',
    "_components/limiter/limits/documents.jsonl": '{"key":"k","value":3}\n',
}
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in members.items():
        z.writestr(name, text)
PY

start_server seeded --seed "$tmp/seed.zip"
seeded_url=$url
start_server empty --name empty-deployment
empty_url=$url

echo "# export from the seeded deployment"
convex "$seeded_url" export --include-file-storage --path "$tmp/first.zip"
echo "# import into the empty deployment with --replace-all"
convex "$empty_url" import --replace-all -y "$tmp/first.zip"
echo "# export again"
convex "$empty_url" export --include-file-storage --path "$tmp/second.zip"

python3 - "$tmp/first.zip" "$tmp/second.zip" <<'PY'
import sys, zipfile

def load(path):
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            out[name] = sorted(data.decode().splitlines()) if name.endswith(".jsonl") else data
    return out

first, second = load(sys.argv[1]), load(sys.argv[2])
expected = {"users/documents.jsonl": 3, "messages/documents.jsonl": 2, "_storage/documents.jsonl": 1,
            "_components/limiter/limits/documents.jsonl": 1}
for name, count in expected.items():
    if len(first.get(name, [])) != count:
        sys.exit(f"first export: {name} has {len(first.get(name, []))} documents, expected {count}")
if first != second:
    for name in sorted(set(first) | set(second)):
        if first.get(name) != second.get(name):
            print(f"differs: {name}\n  first:  {first.get(name)}\n  second: {second.get(name)}")
    sys.exit("the two exports differ")
print(f"round trip: {len(first)} members identical")
PY
