#!/usr/bin/env bash
# Installs the dependencies, builds ostfs and runs the whole test suite (unit and integration).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
# pst-extractor, pinned by package-lock.json, for the export tests.
npm ci --silent --no-audit --no-fund --prefix tests/unit/export/js >/dev/null
ctest --test-dir build --output-on-failure -j2
