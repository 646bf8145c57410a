#!/usr/bin/env bash
# Configures and builds ostfs into build/ (the binary is build/ostfs).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
