#!/usr/bin/env bash
# Fails with one clear line unless Node.js >= 20.19 and npm are on PATH (what Netwright's build and tests need).
set -euo pipefail
need_major=20 need_minor=19
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Netwright needs Node.js ${need_major}.${need_minor} or newer with npm; none is on PATH. Install it from https://nodejs.org or NodeSource's Debian packages." >&2
  exit 1
fi
version=$(node -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$version"
if (( major < need_major || (major == need_major && minor < need_minor) )); then
  echo "Netwright needs Node.js ${need_major}.${need_minor} or newer; this machine has ${version} ($(command -v node)). Install a newer Node.js (Debian 12's nodejs package is 18)." >&2
  exit 1
fi
echo "Node.js ${version}, npm $(npm --version)"
