#!/usr/bin/env bash
# Build the dashboard into web/dist (served by `climahealth serve --static web/dist`).
# Installs the pinned npm packages with `npm ci` when web/node_modules is missing
# or older than web/package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../web"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "web-build: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "web-build: Node $(node --version) is too old; the dashboard needs Node >= 20.19" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (web)"
  npm ci --no-audit --no-fund
fi
echo "== type check and vite build -> web/dist"
npm run --silent build
