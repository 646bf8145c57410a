#!/usr/bin/env bash
# Fuzzes open + walk + render + export (tests/fuzz/store_walk.h) with libFuzzer, ASan and UBSan.
#
#   scripts/fuzz.sh [SECONDS] [--keep-going]
#
# SECONDS (default 120, what CI runs) bounds the run. Without --keep-going the first finding
# stops it and the script fails. With --keep-going (for long runs: 1800 s and more) libFuzzer
# runs in fork mode, goes on after crashes, hangs and out-of-memory inputs, and lists them all
# at the end. Findings land in build-fuzz/findings/ (crash-*, timeout-*, oom-*); the corpus
# the fuzzer grows is kept in build-fuzz/corpus/ across runs. To turn a finding into a
# regression test: minimize it (the command is printed below), copy it to
# tests/fuzz/regressions/, and the normal ctest replays it (fuzz_replay_tests).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
keep_going=${2:-}
build=build-fuzz
corpus_dir=../shared/corpus

scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOSTFS_SANITIZE=ON -DOSTFS_FUZZ=ON \
  -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
build_started=$SECONDS
cmake --build "$build" --target ostfs_store_fuzzer -j2 >/dev/null
echo "fuzz: build took $((SECONDS - build_started)) s"

mkdir -p "$build/corpus" "$build/seeds" "$build/findings"
if [ -d "$corpus_dir" ]; then
  /usr/bin/python3 tests/fuzz/make_seeds.py "$corpus_dir" "$build/seeds"
fi
# Known crashers are seeds too: the fuzzer starts next to what broke before.
seed_dirs=("$build/seeds")
if compgen -G "tests/fuzz/regressions/*" >/dev/null; then seed_dirs+=(tests/fuzz/regressions); fi

# Leaks are checked by the replay under scripts/test-sanitized.sh; in the fuzzer, a leak in
# libpff or GLib would stop every run at its first input.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# libpff runs in worker processes (parser/pff_worker.h); one that hangs must be given up on well
# within libFuzzer's -timeout (opening the file gets 20 times this).
export OSTFS_PFF_WORKER_TIMEOUT=1
flags=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -max_len=400000
       -artifact_prefix="$build/findings/" -print_final_stats=1)
if [ "$keep_going" = "--keep-going" ]; then
  flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi
status=0
"$build/tests/fuzz/ostfs_store_fuzzer" "${flags[@]}" "$build/corpus" "${seed_dirs[@]}" \
  >"$build/fuzz.log" 2>&1 || status=$?
tail -n 25 "$build/fuzz.log"
shopt -s nullglob
findings=("$build"/findings/*)
if [ ${#findings[@]} -gt 0 ]; then
  echo "fuzz: ${#findings[@]} finding(s) in $build/findings/:"
  for f in "${findings[@]}"; do
    echo "  $f"
    echo "    reproduce: $build/tests/fuzz/ostfs_store_fuzzer $f"
    echo "    minimize:  $build/tests/fuzz/ostfs_store_fuzzer -minimize_crash=1 -max_total_time=120 $f"
  done
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz: libFuzzer exited with status $status (see $build/fuzz.log)"
  exit "$status"
fi
echo "fuzz: no finding in $seconds s"
