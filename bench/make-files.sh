#!/usr/bin/env bash
# Builds the benchmark files with ostfs-generate from the bundled sample's real messages.
#   bench/make-files.sh DIR          ~1.1 GB PST: 20,000 messages, 10,000 attachments (≈100 KB)
#   bench/make-files.sh DIR --large  also ~10 GB PST with a folder of 100,000 messages
#   bench/make-files.sh DIR --ost    also the 1 GB set as an OST 2013+ (4 KiB pages, zlib blocks)
#   bench/make-files.sh DIR --big-attachments
#                                    also ~2 GB PST: 40 messages with one attachment each of
#                                    25-75 MB (the daemon's memory with messages larger than its caches)
# Set OSTFS_GENERATE to use another ostfs-generate than build/bench/ostfs-generate.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/make-files.sh DIR [--large] [--ost] [--big-attachments]}
shift
large=no
ost=no
big_attachments=no
for flag in "$@"; do
  case "$flag" in
    --large) large=yes ;;
    --ost) ost=yes ;;
    --big-attachments) big_attachments=yes ;;
    *) echo "make-files.sh: unknown option $flag" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
gen=${OSTFS_GENERATE:-build/bench/ostfs-generate}
one_gb=(--messages 20000 --folders 6 --attachment-every 2 --attachment-size 100000)
[ -f "$out/bench-1g.pst" ] || "$gen" "${one_gb[@]}" "$out/bench-1g.pst"
if [ "$ost" = yes ] && [ ! -f "$out/bench-1g.ost" ]; then
  "$gen" --ost "${one_gb[@]}" "$out/bench-1g.ost"
fi
if [ "$large" = yes ] && [ ! -f "$out/bench-10g.pst" ]; then
  "$gen" --messages 200000 --folders 8 --big-folder 100000 --attachment-every 4 \
    --attachment-size 200000 "$out/bench-10g.pst"
fi
if [ "$big_attachments" = yes ] && [ ! -f "$out/bench-bigatt.pst" ]; then
  "$gen" --messages 40 --folders 2 --attachment-every 1 --attachment-size 52428800 "$out/bench-bigatt.pst"
fi
ls -l "$out"
