#!/usr/bin/env bash
# Installs the dependencies, builds ostfs, mounts the bundled sample OST and shows its tree.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mountpoint=${1:-/tmp/ostfs-sample}
if grep -qs " $mountpoint fuse" /proc/mounts; then fusermount3 -u "$mountpoint"; fi
mkdir -p "$mountpoint"
build/ostfs info tests/data/SampleOstFile.ost
build/ostfs mount tests/data/SampleOstFile.ost "$mountpoint"
echo
echo "Mounted tests/data/SampleOstFile.ost at $mountpoint:"
find "$mountpoint" -maxdepth 2 | sort | head -n 60
echo "… $(find "$mountpoint" -type f | wc -l) files in all."
echo
echo "Browse it with ls, grep -r, a file manager; unmount with: fusermount3 -u $mountpoint"
