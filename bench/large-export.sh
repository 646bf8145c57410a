#!/usr/bin/env bash
# The > 4 GB export benchmark (issue #5): too slow for ctest, run by hand.
#   bench/large-export.sh DIR
# Generates a > 4.3 GB Unicode PST in DIR with ostfs-generate (one ~1 MB attachment per message,
# a manifest with every attachment's SHA-256), exports it with `ostfs export`, and checks the
# > 4 GB result with readers that share no code with the writer:
#   - pffinfo (libpff) opens it;
#   - a pypff walk of source and output counts folders, messages and attachments, and hashes
#     the attachments of the last messages of every folder (the ones written past 4 GiB);
#   - readpst -j 0 -e (libpst; -j 0 because its parallel mode corrupts its heap) extracts every
#     message: the .eml files and the generated attachments in them are counted;
#   - our own reader (tests/unit/export/pst_reader.py) finds where those attachments' blocks lie,
#     to show they really are past 4 GiB, and check_structure.py checks the whole output
#     (CRCs, B-trees, AMap/PMap/FMap/FPMap pages and bits, tables, sizes).
# Prints a table and exits non-zero on any mismatch. Set OSTFS_BUILD to the build directory
# holding ostfs and bench/ostfs-generate (default: build). KEEP=1 keeps the files in DIR;
# otherwise everything the script wrote there is deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${1:?usage: bench/large-export.sh DIR}
build=${OSTFS_BUILD:-build}
gen=$build/bench/ostfs-generate
ostfs=$build/ostfs
target_bytes=${TARGET_BYTES:-4700000000}
for tool in "$gen" "$ostfs"; do
  [ -x "$tool" ] || { echo "large-export.sh: $tool not built" >&2; exit 2; }
done
for tool in pffinfo readpst /usr/bin/python3 /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "large-export.sh: $tool not installed" >&2; exit 2; }
done
mkdir -p "$dir"
src=$dir/large-src.pst
out=$dir/large-out.pst
manifest=$dir/large-src.manifest
extract=$dir/readpst.out
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$src" "$out" "$manifest" "$extract" "$dir"/*.time "$dir"/*.log; fi
}
trap cleanup EXIT

failures=0
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
fail() { failures=$((failures + 1)); echo "MISMATCH: $*" >&2; }
# Runs a step under /usr/bin/time; sets $secs and $rss_mb.
timed() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$dir/$name.time" "$@" > "$dir/$name.log" 2>&1 || return $?
  read -r secs rss_kb < "$dir/$name.time"
  rss_mb=$((rss_kb / 1024))
}
gb() { awk -v b="$1" 'BEGIN { printf "%.2f GB", b / 1e9 }'; }

echo "generating $src (attachments and properties > $target_bytes bytes)..." >&2
# Two folders: the first stays empty, the second gets every message, so its last messages are the
# last data written to both files, past 4 GiB.
timed generate "$gen" --target-bytes "$target_bytes" --folders 2 --attachment-every 1 \
  --attachment-size 1000000 --manifest "$manifest" "$src" || { cat "$dir/generate.log" >&2; exit 1; }
src_size=$(stat -c %s "$src")
row "generate source" "$secs s" "$rss_mb MB" "$(gb "$src_size")"
[ "$src_size" -gt 4300000000 ] || fail "source is only $src_size bytes"

echo "exporting to $out..." >&2
rm -f "$out"
if timed export "$ostfs" export "$src" "$out"; then
  out_size=$(stat -c %s "$out")
  row "ostfs export" "$secs s" "$rss_mb MB" "$(gb "$out_size")"
else
  cat "$dir/export.log" >&2
  echo "large-export.sh: ostfs export failed" >&2
  exit 1
fi
[ "$out_size" -gt 4294967296 ] || fail "output is only $out_size bytes, not past 4 GiB"

echo "pffinfo..." >&2
if timed pffinfo pffinfo "$out"; then
  row "pffinfo (libpff) opens output" "$secs s" "$rss_mb MB" "ok"
else
  row "pffinfo (libpff) opens output" "-" "-" "FAIL"
  fail "pffinfo: $(tail -3 "$dir/pffinfo.log")"
fi

echo "pypff walk of source and output, our reader on the output..." >&2
walk_status=0
/usr/bin/time -f '%e %M' -o "$dir/walk.time" /usr/bin/python3 - "$src" "$out" "$manifest" \
  "$root/tests/unit/export" > "$dir/walk.log" 2>&1 <<'PY' || walk_status=$?
import hashlib
import re
import sys

import pypff

src_path, out_path, manifest_path, checker_dir = sys.argv[1:5]
sys.path.insert(0, checker_dir)
import pst_reader  # noqa: E402  (tests/unit/export: our own reader, for block offsets)

LAST = 5  # messages per folder whose attachments are hashed: the last ones written
ATTACH_LONG_FILENAME = 0x3707


def text(entry):
    try:
        return entry.get_data_as_string()
    except Exception:
        return None


def walk(path):
    """Folder, message and attachment counts, and {(folder, subject, filename): sha256}
    of the attachments of the last LAST messages of every folder."""
    f = pypff.file()
    f.open(path)
    counts = {'folders': 0, 'messages': 0, 'attachments': 0}
    hashes = {}

    def visit(folder, path_name):
        counts['folders'] += 1
        n = folder.number_of_sub_messages
        counts['messages'] += n
        for i in range(n):
            m = folder.get_sub_message(i)
            k = m.number_of_attachments
            counts['attachments'] += k
            if i < n - LAST:
                continue
            for j in range(k):
                a = m.get_attachment(j)
                name = None
                for rs in range(a.number_of_record_sets):
                    for e in a.get_record_set(rs).entries:
                        if e.entry_type == ATTACH_LONG_FILENAME:
                            name = text(e)
                size = a.get_size()
                data = a.read_buffer(size) if size else b''
                hashes[(folder.name, m.subject, name)] = (size, hashlib.sha256(data).hexdigest())
        for i in range(folder.number_of_sub_folders):
            sub = folder.get_sub_folder(i)
            visit(sub, path_name + '/' + (sub.name or ''))

    visit(f.get_root_folder(), '')
    f.close()
    return counts, hashes


def manifest(path):
    out = {}
    generated = 0
    for line in open(path, encoding='utf-8'):
        fields = line.rstrip('\n').split('\t')
        if fields[0] == 'attachment':
            # The manifest also lists the attachments the template messages bring along.
            generated += re.fullmatch(r'data [0-9]+\.bin', fields[3]) is not None
            out[(fields[1], fields[2], fields[3])] = (int(fields[4]), fields[5])
    return out, generated


def beyond_4gib(path, names):
    """Lowest file offset of the data blocks of the attachments named `names`, read with our
    own reader from the NBT: attachment PCs (nidType 5) in message subnode trees."""
    pst = pst_reader.PstFile(path)
    lowest, found = None, set()
    messages = sorted((nid for nid in pst.nodes if nid & 0x1F == 0x04), reverse=True)
    for nid in messages[:200]:
        node = pst.nodes[nid]
        for sub_nid, (bid_data, bid_sub) in pst.subnodes(node.bid_sub).items():
            if sub_nid & 0x1F != 0x05:
                continue
            pc, subs = pst_reader.read_pc(pst, bid_data, bid_sub)
            name = pc.props.get(ATTACH_LONG_FILENAME)
            name = name[1].decode('utf-16-le') if name and name[1] is not None else None
            if name not in names:
                continue
            found.add(name)
            for value_nid, (value_bid, _) in subs.items():
                for leaf in pst.leaf_bids(value_bid):
                    ib = pst.blocks[leaf & ~1].ib
                    lowest = ib if lowest is None else min(lowest, ib)
    return lowest, found


src_counts, src_hashes = walk(src_path)
out_counts, out_hashes = walk(out_path)
want, generated = manifest(manifest_path)
bad = 0
for key in ('folders', 'messages', 'attachments'):
    print('COUNT %s %d %d' % (key, src_counts[key], out_counts[key]))
print('GENERATED %d' % generated)
checked = 0
for key, (size, digest) in sorted(src_hashes.items(), key=str):
    if key not in want:
        continue  # an attachment the template message brought along
    checked += 1
    if (size, digest) != want[key]:
        print('BAD source %r: %r, manifest %r' % (key, (size, digest), want[key]))
        bad += 1
    if out_hashes.get(key) != (size, digest):
        print('BAD output %r: %r, source %r' % (key, out_hashes.get(key), (size, digest)))
        bad += 1
print('HASHED %d' % checked)
lowest, found = beyond_4gib(out_path, {k[2] for k in src_hashes if k in want})
print('LOWEST_OFFSET %d FOUND %d' % (lowest or 0, len(found)))
if len(found) != checked:
    print('BAD our reader found %d of the %d hashed attachments' % (len(found), checked))
    bad += 1
sys.exit(1 if bad or checked == 0 else 0)
PY
read -r secs rss_kb < "$dir/walk.time"
cat "$dir/walk.log" >&2
count() { awk -v k="$1" -v c="$2" '$1 == "COUNT" && $2 == k { print $c }' "$dir/walk.log"; }
src_folders=$(count folders 3); out_folders=$(count folders 4)
src_messages=$(count messages 3); out_messages=$(count messages 4)
src_attachments=$(count attachments 3); out_attachments=$(count attachments 4)
generated=$(awk '$1 == "GENERATED" { print $2 }' "$dir/walk.log")
hashed=$(awk '$1 == "HASHED" { print $2 }' "$dir/walk.log")
lowest=$(awk '$1 == "LOWEST_OFFSET" { print $2 }' "$dir/walk.log")
row "pypff walk, source" "-" "-" "$src_folders folders, $src_messages messages, $src_attachments attachments"
row "pypff walk, output" "$secs s (both + ours)" "$((rss_kb / 1024)) MB" \
  "$out_folders folders, $out_messages messages, $out_attachments attachments"
if [ "$walk_status" -ne 0 ]; then fail "pypff walk (see above)"; fi
[ -n "$out_messages" ] && [ "$src_folders" = "$out_folders" ] && [ "$src_messages" = "$out_messages" ] &&
  [ "$src_attachments" = "$out_attachments" ] || fail "pypff counts differ between source and output"
hash_result=$([ "$walk_status" -eq 0 ] && echo "equal" || echo "DIFFER")
row "SHA-256 of the last $hashed attachments" "-" "-" \
  "source = manifest = output: $hash_result; their blocks start at $(gb "${lowest:-0}") in the output"
[ "${lowest:-0}" -gt 4294967296 ] || fail "the hashed attachments are not past 4 GiB (lowest block at ${lowest:-?})"

echo "readpst -j 0 -e..." >&2
rm -rf "$extract"
mkdir -p "$extract"
if timed readpst readpst -j 0 -e -q -o "$extract" "$out"; then
  emls=$(find "$extract" -type f -name '*.eml' | wc -l)
  # Generated attachments are "data N.bin"; the template's own attachments come along too.
  named=$(grep -rhoa 'filename="data [0-9]*\.bin"' "$extract" | sort -u | wc -l)
  row "readpst -j 0 -e (libpst)" "$secs s" "$rss_mb MB" "$emls messages, $named generated attachments"
  [ "$emls" = "$src_messages" ] || fail "readpst extracted $emls messages, source has $src_messages"
  [ "$named" = "$generated" ] || fail "readpst shows $named generated attachments, manifest has $generated"
else
  row "readpst -j 0 -e (libpst)" "-" "-" "FAIL"
  fail "readpst: $(tail -3 "$dir/readpst.log")"
fi
rm -rf "$extract"

echo "structural checker..." >&2
if timed check /usr/bin/python3 tests/unit/export/check_structure.py "$out"; then
  row "check_structure.py (ours, from [MS-PST])" "$secs s" "$rss_mb MB" "$(tail -1 "$dir/check.log")"
else
  row "check_structure.py (ours, from [MS-PST])" "${secs:-?} s" "${rss_mb:-?} MB" "FAIL"
  head -20 "$dir/check.log" >&2
  fail "structural checker"
fi

result=$([ "$failures" -eq 0 ] && echo PASS || echo "FAIL ($failures mismatches)")
echo
echo "| step | wall | peak RSS | result |"
echo "|---|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Overall: $result"
[ "$failures" -eq 0 ]
