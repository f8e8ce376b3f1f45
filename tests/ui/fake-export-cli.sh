#!/bin/sh
# A stand-in for `npx convex export` in the export page tests: $1 picks the behaviour, the CLI's
# own arguments follow. Human output goes to stderr, as the real CLI's does. The archive it
# "downloads" is $CMG_FAKE_EXPORT_ZIP, copied to the --path it was given.
mode="$1"
shift

path=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--path" ]; then path="$2"; fi
  shift
done

case "$mode" in
  success)
    printf -- '- Creating snapshot export\n\n' >&2
    printf '\342\234\224 Created snapshot export at timestamp 1732406450000000000\n' >&2
    printf '\342\234\224 Export is available at http://127.0.0.1:6790/d/demo/settings/snapshots\n' >&2
    printf -- '- Downloading snapshot export to %s\n\n' "$path" >&2
    cp "$CMG_FAKE_EXPORT_ZIP" "$path" || exit 1
    printf '\342\234\224 Downloaded snapshot export to %s\n' "$path" >&2
    exit 0
    ;;
  busy)
    printf -- '- Creating snapshot export\n\n' >&2
    printf '\342\234\226 A snapshot export is already requested or in progress. Only one can run at a time, so wait for it to finish and try again.\n' >&2
    exit 1
    ;;
  bad-key)
    printf '\342\234\226 Error fetching POST  http://127.0.0.1:6790/api/export/request/zip?includeStorage=false 403 Forbidden: BadDeployKey: The provided deploy key was invalid for deployment.\n' >&2
    printf '{"code":"BadDeployKey","message":"The provided deploy key was invalid for deployment."}\n' >&2
    exit 1
    ;;
  slow)
    printf -- '- Creating snapshot export\n\n' >&2
    exec sleep 60
    ;;
esac
exit 99
