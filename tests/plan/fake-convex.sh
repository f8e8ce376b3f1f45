#!/bin/sh
# A stand-in for `npx convex` in the plan's unit tests: $1 picks the behaviour, the CLI's own
# arguments follow. Human output goes to stderr, as the real CLI's does.
mode="$1"
shift

path=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--path" ]; then path="$2"; fi
  shift
done

case "$mode" in
  export-copy)
    # The export the test prepared stands for what the target holds now.
    printf -- '- Creating snapshot export\n\n' >&2
    printf '\342\234\224 Created snapshot export at timestamp 42\n' >&2
    cp "$FAKE_EXPORT_ZIP" "$path" || exit 1
    printf '\342\234\224 Downloaded snapshot export to %s\n' "$path" >&2
    exit 0
    ;;
  export-busy)
    printf '\342\234\226 A snapshot export is already requested or in progress. Only one can run at a time, so wait for it to finish and try again.\n' >&2
    exit 1
    ;;
  export-slow)
    printf -- '- Creating snapshot export\n\n' >&2
    sleep 30
    exit 0
    ;;
  export-garbage)
    printf 'not a zip' > "$path"
    printf '\342\234\224 Downloaded snapshot export to %s\n' "$path" >&2
    exit 0
    ;;
esac
printf 'unknown fake mode %s\n' "$mode" >&2
exit 2
