#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Convex Migrate needs.
# Debian/Ubuntu: through apt-get (with sudo when not root). Elsewhere: prints what to install.
set -euo pipefail

build_pkgs=(meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-bin libgtk-4-dev
            libsoup-3.0-dev libjson-glib-dev libarchive-dev zlib1g-dev desktop-file-utils
            adwaita-icon-theme)
test_pkgs=(xvfb xauth dbus dbus-x11 appstream libgtk-4-bin gsettings-desktop-schemas fonts-cantarell
           unzip clang)

pkgs=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then
  pkgs+=("${test_pkgs[@]}")
fi
# The end-to-end tests and the demo run the real Convex CLI, which needs Node.js and npm. A Node.js
# installed another way (nvm, nodesource) is used as it is.
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--demo" ]; then
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This system has no apt-get. Install the equivalents of these Debian packages, then run again:"
  printf '  %s\n' "${pkgs[@]}"
  # Carry on: they may be installed already under other names.
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing+=("$p") ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "Not root and no sudo: install these packages, then run again: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
