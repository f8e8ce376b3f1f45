#!/bin/sh
# A stand-in for `npx convex` in the spawn tests: $1 picks the behaviour, the CLI's own
# arguments follow. Human output goes to stderr, as the real CLI's does.
mode="$1"
shift

# The value after --env-file, if any.
env_file=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--env-file" ]; then env_file="$2"; fi
  shift
done

case "$mode" in
  steps)
    printf -- '- Importing data.jsonl (12 B)\n\n' >&2
    printf 'Import change summary:\ntable | create | delete |\n----\nt | 3 | 0 of 0 documents |\n' >&2
    printf 'Once the import has started, it will run in the background.\n' >&2
    printf '\342\234\224 Imported "t" (3 documents)\n' >&2
    printf '\342\234\224 Added 3 documents to table "t".\n' >&2
    exit 0
    ;;
  spinner)
    printf '\033[?25l\033[36m\342\240\213\033[39m Creating snapshot export\n' >&2
    sleep 0.2
    printf '\033[1G\033[0K\033[1A\033[0K\033[36m\342\240\231\033[39m Creating snapshot export\n' >&2
    sleep 0.2
    printf '\033[1G\033[0K\033[1A\033[0K\033[32m\342\234\224\033[39m Created snapshot export at timestamp 42\n\033[?25h' >&2
    printf 'working\rWORKING\r\033[2K\033[1mdone\033[0m\n'
    exit 0
    ;;
  prompt)
    printf 'Import change summary:\ntable | create | delete |\nt | 3 | 2 of 2 documents |\n' >&2
    printf 'Once the import has started, it will run in the background.\n' >&2
    if [ ! -t 0 ]; then
      printf '\342\234\226 Cannot prompt for input in non-interactive terminals. (Perform import?)\n' >&2
      exit 1
    fi
    printf '\033[32m?\033[39m \033[1mPerform import?\033[22m \033[2m(Y/n)\033[22m ' >&2
    read -r answer
    case "$answer" in
      y*|Y*) printf '\342\234\224 Added 3 documents to table "t".\n' >&2; exit 0 ;;
      *) printf '\342\234\226 Import canceled\n' >&2; exit 1 ;;
    esac
    ;;
  invalid-utf8)
    printf 'ok line\n\377\376 broken \200 bytes\n\342\234' >&2
    exit 2
    ;;
  silent)
    exit 0
    ;;
  crash)
    printf 'about to crash\n' >&2
    kill -SEGV $$
    ;;
  grandchild)
    # A background child keeps the output open long after this script is gone.
    sleep 30 &
    printf 'started %s\n' "$!" >&2
    exit 0
    ;;
  slow)
    sleep 60 &
    echo "$!" > "$CMG_FAKE_PIDFILE"
    printf -- '- Importing data.jsonl (12 B)\n' >&2
    wait
    ;;
  stubborn)
    # Ignores SIGTERM: only SIGKILL stops it.
    trap '' TERM
    echo "$$" > "$CMG_FAKE_PIDFILE"
    printf -- '- Importing data.jsonl (12 B)\n' >&2
    while :; do sleep 0.1; done
    ;;
  started)
    trap 'printf "\342\234\226 WARNING: Import is continuing to run on the server. Visit https://dashboard.example/d/x/import to monitor its progress.\n" >&2; exit 1' INT
    printf 'Import change summary:\ntable | create | delete |\nt | 3 | 0 of 0 documents |\n' >&2
    printf 'Once the import has started, it will run in the background.\n' >&2
    printf 'Interrupting `npx convex import` will not cancel it.\n- Importing\n' >&2
    while :; do sleep 0.1; done
    ;;
  secrets)
    # Prints what it was given, secrets included: the run must mask them.
    printf 'inherited key: %s\n' "${CONVEX_DEPLOY_KEY:-none}" >&2
    cat "$env_file" >&2
    printf 'CI=%s\n' "${CI:-unset}" >&2
    printf 'cwd=%s\n' "$(pwd)" >&2
    exit 0
    ;;
esac
exit 99
