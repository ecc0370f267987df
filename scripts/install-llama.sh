#!/usr/bin/env bash
# Installs the real GGUF client the GGUF tests load nninit's files with: node-llama-cpp 3.21.1
# and its prebuilt CPU binary for this platform, into .nninit-tmp/llama/ (git-ignored), without
# its optional CUDA/Vulkan builds (~700 MB) and without running install scripts (none download
# anything then; the tests call getLlama with build: "never", so nothing is fetched at run time
# either). Afterwards the tests work offline. Re-running it is a no-op when it is installed.
#   scripts/install-llama.sh            # install (about 40 MB)
#   NNINIT_LLAMA_DIR=/some/dir scripts/install-llama.sh
set -euo pipefail
VERSION=3.21.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${NNINIT_LLAMA_DIR:-$ROOT/.nninit-tmp/llama}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) BIN=linux-x64 ;;
  Linux-aarch64) BIN=linux-arm64 ;;
  Darwin-arm64) BIN=mac-arm64-metal ;;
  Darwin-x86_64) BIN=mac-x64 ;;
  *) echo "install-llama.sh: no prebuilt node-llama-cpp binary known for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

have() {
  [ -f "$DIR/node_modules/node-llama-cpp/package.json" ] && [ -f "$DIR/node_modules/@node-llama-cpp/$BIN/package.json" ] &&
    node -e 'const v=require(process.argv[1]).version; process.exit(v===process.argv[2]?0:1)' "$DIR/node_modules/node-llama-cpp/package.json" "$VERSION"
}
if have; then
  echo "node-llama-cpp@$VERSION (+ @node-llama-cpp/$BIN) already in $DIR"
  exit 0
fi

mkdir -p "$DIR"
# Its own package.json: npm must not walk up to nninit's and install nninit's dependencies there.
printf '{ "name": "nninit-llama-client", "private": true }\n' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --no-save --omit=optional --ignore-scripts --loglevel=error \
  "node-llama-cpp@$VERSION" "@node-llama-cpp/$BIN@$VERSION"
have || { echo "install-llama.sh: node-llama-cpp was not installed in $DIR" >&2; exit 1; }
echo "installed node-llama-cpp@$VERSION + @node-llama-cpp/$BIN@$VERSION in $DIR ($(du -sh "$DIR" | cut -f1))"
