#!/usr/bin/env bash
# Installs, from Debian's packages, whatever peer-tidy needs to build and test
# against one LLVM major version. Idempotent: with everything present it asks
# dpkg once and returns in well under a second.
#   scripts/install-deps.sh 19|22
set -euo pipefail
llvm="${1:-19}"
case "$llvm" in 19|22) ;; *) echo "install-deps: unsupported LLVM version '$llvm' (19 or 22)" >&2; exit 2;; esac

packages=(
  "llvm-$llvm-dev" "libclang-$llvm-dev" "clang-$llvm" "clang-tidy-$llvm" "clang-tools-$llvm"
  "llvm-$llvm-tools" "clangd-$llvm" "libclang-rt-$llvm-dev"
  clang-format-19  # the pinned formatter (scripts/format.sh), whatever $llvm is
  cmake ninja-build python3 libgtest-dev libgmock-dev libbenchmark-dev
  libcaf-dev libcaf-doc erlang-base neovim emacs-nox elpa-eglot time python3-jsonschema git
  qtbase5-dev qt6-base-dev libdbus-1-dev libglib2.0-dev libsystemd-dev libproc2-dev
  bazel-bootstrap bazel-platforms
  pre-commit python3-yaml
  nginx
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "install-deps: these packages are missing and I cannot install them (not root, no sudo):" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
