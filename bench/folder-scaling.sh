#!/usr/bin/env bash
# Does listing a folder take time linear in its size? Builds PSTs whose one folder holds
# 12,500 / 25,000 / 50,000 / 100,000 messages (ostfs-generate --small: real envelopes, short
# bodies), mounts each without a size index and times, each in a fresh mount:
#   `ls DIR`     (the first listing: the folder's contents table read, every name made)
#   `ls -l DIR`  (every file sized as well: a measure of each message)
# and prints a Markdown table with time per 1,000 items; appends it to the results file.
#   bench/folder-scaling.sh WORKDIR [bench/RESULTS.md]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: bench/folder-scaling.sh WORKDIR [RESULTS.md]}
results=${2:-bench/RESULTS.md}
gen=${OSTFS_GENERATE:-build/bench/ostfs-generate}
ostfs=${OSTFS_BIN:-build/ostfs}
mkdir -p "$work/mnt"
export XDG_CACHE_HOME="$work/cache"

now() { date +%s.%N; }

# Mounts $1, runs the command $2 on the big folder, prints "wall_s peak_rss_mb".
timed_listing() {
  local pst=$1 command=$2
  rm -rf "$XDG_CACHE_HOME"
  "$ostfs" mount -o nosizecache "$pst" "$work/mnt"
  local pid folder start end
  pid=$(pgrep -f "ostfs mount .* $work/mnt\$")
  folder="Folder 1"  # ostfs-generate's first folder, the big one
  start=$(now)
  $command "$work/mnt/$folder" > /dev/null
  end=$(now)
  local rss
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  fusermount3 -u "$work/mnt"
  while kill -0 "$pid" 2> /dev/null; do sleep 0.1; done
  echo "$(printf '%.3f' "$(echo "$end - $start" | bc)") $rss"
}

table="| items in the folder | ls: wall s | ls: ms per 1,000 | ls -l: wall s | ls -l: ms per 1,000 | peak RSS MB |
|---:|---:|---:|---:|---:|---:|"
for n in 12500 25000 50000 100000; do
  pst="$work/folder-$n.pst"
  [ -f "$pst" ] || "$gen" --small --messages "$n" --folders 1 --big-folder "$n" "$pst" > /dev/null
  read -r ls_s _ < <(timed_listing "$pst" "ls")
  read -r lsl_s rss < <(timed_listing "$pst" "ls -l")
  table+="
| $n | $ls_s | $(printf '%.1f' "$(echo "scale=3; 1000000 * $ls_s / $n" | bc)") | $lsl_s | $(printf '%.1f' "$(echo "scale=3; 1000000 * $lsl_s / $n" | bc)") | $rss |"
done

report="### Folder scaling, $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r). One folder of N messages
(ostfs-generate --small), a fresh mount without size index for each command.

$table
"
echo "$report"
printf '\n%s' "$report" >> "$results"
