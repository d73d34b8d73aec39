#!/usr/bin/env bash
# Installs, from Debian 12's packages, the headers and generators the
# real-world benchmark (test/realworld/run.py) parses the corpus with, on top of
# scripts/install-deps.sh (Qt, GLib, libdbus, libsystemd, clang). Not needed by
# `make test`. Idempotent: with everything present it asks dpkg once.
#   test/realworld/install-deps.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/../../scripts/install-deps.sh" 19

packages=(
  # KDE Frameworks 5.103 and Plasma's dependencies (Plasma 5, KF5 files)
  extra-cmake-modules libkf5coreaddons-dev libkf5i18n-dev libkf5service-dev libkf5config-dev
  libkf5dbusaddons-dev libkf5windowsystem-dev libkf5notifications-dev libkf5kio-dev
  libkf5plasma-dev libkf5globalaccel-dev libkf5crash-dev libkf5idletime-dev libkf5solid-dev
  libkf5activities-dev qtdeclarative5-dev libqt5x11extras5-dev libxcb-util-dev
  libqca-qt5-2-dev
  # fprintd (GIO): libfprint and polkit; gdbus-codegen and glib-mkenums come with GLib
  libfprint-2-dev libpolkit-gobject-1-dev libglib2.0-dev-bin
  git python3
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "realworld install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "realworld install-deps: missing, and I cannot install them (not root, no sudo):" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
