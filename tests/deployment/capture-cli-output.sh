#!/usr/bin/env bash
# Captures what the real Convex CLI prints in each flow against the local test deployment, as
# fixtures for the CLI-output parser tests. Run by hand after bumping the pinned CLI:
#   tests/deployment/capture-cli-output.sh BUILD-DIR/tests/deployment/cmg-test-deployment \
#     tests/convex-cli tests/fixtures/cli-output
# Files are raw (escape codes and \r included). Flows without a terminal keep stderr only (stdout
# carries data, never status); flows on a pseudo-terminal keep everything the terminal showed.
set -uo pipefail

server=$(realpath "$1")
cli_dir=$(cd "$2" && pwd)
out_dir=$(mkdir -p "$3" && cd "$3" && pwd)

command -v script >/dev/null || { echo "script (util-linux) is needed for the terminal flows" >&2; exit 1; }
[ -f "$cli_dir/node_modules/convex/package.json" ] || { echo "run ./build-aux/cli.sh first" >&2; exit 1; }

for var in $(env | sed -n 's/^\(CONVEX_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$var"; done
# A local npm configuration must not add its own warnings to the fixtures.
export NPM_CONFIG_USERCONFIG=/dev/null NPM_CONFIG_UPDATE_NOTIFIER=false

tmp=$(mktemp -d)
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir "$tmp/project"
printf '{"name":"fixtures","private":true,"dependencies":{"convex":"*"}}\n' > "$tmp/project/package.json"
ln -s "$cli_dir/node_modules" "$tmp/project/node_modules"
cd "$tmp/project" || exit 1

python3 - seed.zip <<'PY'
import sys, zipfile
members = {
    "_tables/documents.jsonl": '{"name":"users","id":10001}\n{"name":"messages","id":10002}\n',
    "users/documents.jsonl": '{"name":"Ada","age":36}\n{"name":"Grace","age":45}\n',
    "users/generated_schema.jsonl": '"uniform"\n',
    "messages/documents.jsonl": '{"body":"hello"}\n{"body":"again"}\n{"body":"third"}\n',
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
printf '{"body":"from jsonl"}\n{"body":"second line"}\n' > messages.jsonl

url=
start () {
  [ ${#pids[@]} -gt 0 ] && { kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null; }
  # A fresh file: the previous server's line must not be read as this one's.
  rm -f "$tmp/server.out"
  "$server" --port 0 "$@" > "$tmp/server.out" &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^Listening on ' "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^Listening on //p' "$tmp/server.out")
  [ -n "$url" ] || { echo "the test deployment did not start ($*)" >&2; ps -o pid,stat,wchan:20,cmd -p "${pids[-1]}" >&2; cat "$tmp/server.out" >&2; exit 1; }
  export CONVEX_SELF_HOSTED_URL=$url CONVEX_SELF_HOSTED_ADMIN_KEY=test-admin-key
}

# plain NAME ARGS...: no terminal, CI=1; stderr only.
plain () {
  local name=$1; shift
  rm -rf out.zip exports; mkdir exports
  CI=1 npx convex "$@" 2> "$out_dir/$name.txt" > /dev/null
  echo "$name: exit $?"
}

# tty NAME KEYS CI ARGS...: on a pseudo-terminal; KEYS (printf format, or nothing) typed after 4 s.
tty () {
  local name=$1 keys=$2 ci=$3; shift 3
  local cmd="npx convex $*"
  [ "$ci" = 1 ] && cmd="CI=1 $cmd"
  ( sleep 4; [ -n "$keys" ] && printf "$keys"; sleep 4 ) \
    | script -q -e -c "$cmd" /dev/null > "$out_dir/$name.txt"
  echo "$name: exit $?"
}

start --seed seed.zip
plain export export --path out.zip
plain export-file-storage-to-folder export --include-file-storage --path exports
plain import-require-empty-fails import seed.zip
plain import-non-interactive-prompt import --replace seed.zip
plain import-replace-yes import --replace -y seed.zip
plain import-append-yes import --append -y seed.zip
tty import-prompt-answered-no 'n\r' 1 import --replace seed.zip
tty import-prompt-answered-yes 'y\r' 1 import --replace seed.zip
tty import-terminal-spinner "" 0 import --replace-all -y seed.zip
tty import-terminal-prompt-answered-yes 'y\r' 0 import --replace seed.zip
# Cancel before the server has started the work: Ctrl-C at the prompt.
tty import-prompt-interrupted '\003' 1 import --replace seed.zip

start
plain import-zip-into-empty import seed.zip
plain import-jsonl-table-append import --append --table messages messages.jsonl

start --export-running
plain export-already-running export --path out.zip

start --reject-key
plain bad-key export --path out.zip

start --seed seed.zip --fail-import 'Failed to insert or update a document in table "messages" because it does not match the schema: Object is missing the required field `author`.'
plain import-failed import --append -y seed.zip

start --import-running
tty import-another-running-answered-yes 'y\r' 1 import --append seed.zip

# Cancel after the server has started the import: the CLI warns that it goes on.
start --seed seed.zip --slow
CI=1 setsid npx convex import --append -y seed.zip 2> "$out_dir/import-cancel-after-start.txt" > /dev/null &
cli=$!
sleep 6
kill -INT -- "-$cli"
wait "$cli"
echo "import-cancel-after-start: exit $?"
