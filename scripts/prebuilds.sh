#!/usr/bin/env bash
# Builds the native binaries shipped inside the npm package, in prebuildify's layout, which
# node-gyp-build loads at run time (lib/backend/native.ts):
#   prebuilds/linux-x64/nninit.glibc.node     (this machine's g++)
#   prebuilds/linux-arm64/nninit.glibc.node   (Debian's g++-aarch64-linux-gnu cross compiler)
# Both are portable builds (NNINIT_PORTABLE=1, binding.gyp): libstdc++ linked statically and the
# glibc symbols pinned to old versions (native/compat/glibc.cc), so they load on glibc >= 2.28;
# scripts/check-prebuilds.sh verifies that after the build. The libc tag in the file name
# (prebuildify --tag-libc) keeps node-gyp-build from loading them on musl (Alpine).
#
# Each architecture is built in its own copy of the sources under .nninit-tmp/, so a developer's
# build/ is left as it is. Usage: npm run prebuilds [-- x64|arm64 ...]   (default: both)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# node-gyp must not download Node's headers (offline machines): use the system's copy if there is one.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then
  export npm_config_nodedir=/usr
fi

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x64 arm64)

build_arch() {
  local arch=$1 stage="$root/.nninit-tmp/prebuild-$1"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp -R binding.gyp package.json native "$stage/"
  rm -rf "$stage/native/test"
  ln -s "$root/node_modules" "$stage/node_modules"
  local -a env=(NNINIT_PORTABLE=1 JOBS="${JOBS:-max}")
  local strip=strip
  if [ "$arch" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
    local cross=aarch64-linux-gnu
    command -v "$cross-g++" >/dev/null || { echo "prebuilds: $cross-g++ not found (apt-get install g++-aarch64-linux-gnu)" >&2; return 1; }
    env+=(CC="$cross-gcc" CXX="$cross-g++" LINK="$cross-g++" AR="$cross-ar")
    strip="$cross-strip"
  fi
  echo "prebuilds: building linux-$arch in $stage"
  env "${env[@]}" "$root/node_modules/.bin/prebuildify" --napi --strip --strip-bin "$strip" --tag-libc \
    --arch "$arch" --cwd "$stage" --out "$root"
  rm -rf "$stage"
}

for arch in "${arches[@]}"; do
  case "$arch" in
    x64|arm64) build_arch "$arch" ;;
    *) echo "prebuilds: unknown architecture '$arch' (x64 or arm64)" >&2; exit 1 ;;
  esac
done
"$root/scripts/check-prebuilds.sh"
