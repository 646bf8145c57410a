#!/usr/bin/env bash
# Builds ostfs with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/ and runs
# the whole ctest suite with it: unit tests, the fuzz regression replays, and the integration
# tests, whose FUSE daemons and `ostfs export` runs are the sanitized binary too.
#
#   scripts/test-sanitized.sh [CTEST ARGS...]    e.g. -L fuzz, -R integration, -LE mutation
#
# Leak detection is on. What libpff, GLib/GMime and libical keep until exit by design is
# suppressed by name in tests/fuzz/sanitizers/lsan.supp, so a leak of ours still fails.
# Every sanitizer report, also from a daemon that no test waits for, is written to
# build-asan/sanitizer-logs/; any file there fails the run, even when ctest passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=build-asan
logs="$root/$build/sanitizer-logs"

scripts/install-deps.sh
# pst-extractor, pinned by package-lock.json, for the export tests (as scripts/test.sh does).
npm ci --silent --no-audit --no-fund --prefix tests/unit/export/js >/dev/null

rm -rf "$logs"
mkdir -p "$logs"
# Set before the build too: gtest_discover_tests runs the sanitized test binaries.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/sanitizers/lsan.supp:print_suppressions=0"
# The mutation test's time limits, for binaries several times slower.
export OSTFS_MUTATION_TIME_SCALE=4
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/fuzz/sanitizers/ubsan.supp:log_path=$logs/ubsan"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSTFS_SANITIZE=ON >/dev/null
build_started=$SECONDS
cmake --build "$build" -j2 >/dev/null
echo "test-sanitized: build took $((SECONDS - build_started)) s"
# Discovery runs are done; their reports, if any, would have failed the build already.
rm -f "$logs"/*

status=0
test_started=$SECONDS
ctest --test-dir "$build" --output-on-failure -j2 "$@" || status=$?
echo "test-sanitized: tests took $((SECONDS - test_started)) s"
shopt -s nullglob
# A report is a finding when the sanitizer says ERROR/SUMMARY or UBSan "runtime error".
# LeakSanitizer alone sometimes logs that it could not stop a thread of a process exiting
# while FUSE still holds it ("Unable to get registers from thread"): not a finding, shown.
reports=()
for r in "$logs"/*; do
  if grep -qE 'ERROR: |^SUMMARY: |runtime error' "$r"; then
    reports+=("$r")
  else
    echo "test-sanitized: not a finding, $r: $(head -c 300 "$r" | tr '\n' ' ')"
  fi
done
if [ ${#reports[@]} -gt 0 ]; then
  echo "test-sanitized: ${#reports[@]} sanitizer report(s) in $logs; by kind:"
  cat "${reports[@]}" | grep -h '^SUMMARY' | sort | uniq -c
  # The same bug usually reports once per process: show the first three in full.
  for r in "${reports[@]:0:3}"; do
    echo "==== $r"
    head -n 60 "$r"
  done
  exit 1
fi
exit "$status"
