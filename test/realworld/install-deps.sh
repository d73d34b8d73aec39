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
  # powerdevil's core: kconfig_compiler_kf5 (its settings class) and Kirigami's tablet-mode watcher
  libkf5config-dev-bin kirigami2-dev
  # fprintd (GIO): libfprint and polkit; gdbus-codegen and glib-mkenums come with GLib
  libfprint-2-dev libpolkit-gobject-1-dev libglib2.0-dev-bin
  # iio-sensor-proxy (GIO): GUdev
  libgudev-1.0-dev
  # kpmcore's and KDiskMark's root helpers (qt-dbus, round eight): PolkitQt5-1
  libpolkit-qt5-1-dev
  # htop (posix): ncursesw's headers
  libncurses-dev
  # gnome-session (GIO): the headers of its XSMP server (ICE, SM, X11)
  libice-dev libsm-dev libx11-dev
  git python3
)

# Debian packages this list names that dpkg does not have installed.
installed() { dpkg-query -W -f='${binary:Package} ${db:Status-Status}\n' 2>/dev/null |
              awk '$2 == "installed" { sub(/:.*/, "", $1); print $1 }' | sort -u; }
mapfile -t missing < <(comm -23 <(printf '%s\n' "${packages[@]}" | sort -u) <(installed))
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "realworld install-deps: as root, run: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "realworld install-deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
