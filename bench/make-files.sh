#!/usr/bin/env bash
# Builds the benchmark files with ostfs-generate from the bundled sample's real messages.
#   bench/make-files.sh DIR          ~1.1 GB PST: 20,000 messages, 10,000 attachments (≈100 KB)
#   bench/make-files.sh DIR --large  also ~10 GB PST with a folder of 100,000 messages
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/make-files.sh DIR [--large]}
mkdir -p "$out"
gen=build/bench/ostfs-generate
[ -f "$out/bench-1g.pst" ] || "$gen" --messages 20000 --folders 6 --attachment-every 2 \
  --attachment-size 100000 "$out/bench-1g.pst"
if [ "${2:-}" = "--large" ] && [ ! -f "$out/bench-10g.pst" ]; then
  "$gen" --messages 200000 --folders 8 --big-folder 100000 --attachment-every 4 \
    --attachment-size 200000 "$out/bench-10g.pst"
fi
ls -l "$out"
