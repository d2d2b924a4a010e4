#!/usr/bin/env bash
# Node.js 24 for this project, from the npm registry (the `node-linux-<arch>` package holds the official binary and
# its include/node headers), cached outside the repo. Where the machine's own Node is already 24 or newer, that one.
#
#   eval "$(bash scripts/ensure-node.sh --env)"   # Node 24 first on PATH, node-gyp pointed at its headers
#   bash scripts/ensure-node.sh                   # prints the folder
set -euo pipefail

NODE_VERSION=24.22.3
MAJOR=${NODE_VERSION%%.*}
cache="${AGREEMENTS_CACHE:-$HOME/.cache/agreements}/node-v$NODE_VERSION"

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: no Node $MAJOR package for $(uname -m)" >&2; exit 1 ;;
esac

have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [[ "$have" -ge "$MAJOR" ]]; then
  dir=$(dirname "$(dirname "$(command -v node)")")
else
  if [[ ! -x "$cache/bin/node" ]]; then
    echo "ensure-node: Node $(node --version 2>/dev/null || echo none) is older than $MAJOR; installing node-linux-$arch@$NODE_VERSION from the npm registry into $cache" >&2
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
    mkdir -p "$work/unpacked" "$(dirname "$cache")"
    tar xzf "$work"/node-linux-"$arch"-*.tgz -C "$work/unpacked" --strip-components=1
    "$work/unpacked/bin/node" --version >/dev/null
    rm -rf "$cache" && mv "$work/unpacked" "$cache"
  fi
  dir=$cache
fi

if [[ "${1:-}" == "--env" ]]; then
  # node-gyp builds native addons (better-sqlite3) against these headers instead of downloading them.
  printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$dir/bin" "$dir"
else
  printf '%s\n' "$dir"
fi
