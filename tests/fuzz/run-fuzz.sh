#!/usr/bin/env bash
# run-fuzz.sh [SECONDS] - builds the libFuzzer targets with clang (its own
# build dir, build/fuzz, with ASan + UBSan) and runs each one for SECONDS
# (default 60, or $HVECHO_FUZZ_SECONDS), starting from its committed seed
# corpus (tests/fuzz/corpus/<target>, which is not modified: new inputs go
# to build/fuzz/corpus/<target>). Any crash, leak, sanitizer report or
# broken property fails the script; the input that did it is kept as
# build/fuzz/artifacts/<target>-crash-*. Prints the executions per target.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-${HVECHO_FUZZ_SECONDS:-60}}
bdir=build/fuzz
targets=(guid addr cli server)

cc=${CC:-}
if [ -z "$cc" ] || ! "$cc" --version 2>/dev/null | grep -q clang; then
    cc=$(command -v clang || command -v clang-14 || true)
fi
[ -n "$cc" ] || { echo "run-fuzz: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }

CC=$cc cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g" \
    -DHVECHO_FUZZ=ON -DHVECHO_GTK=OFF -DHVECHO_GUEST_TESTS=OFF \
    -DHVECHO_WINDOWS_TESTS=OFF >/dev/null
cmake --build "$bdir" -j"$(nproc)" $(printf -- '--target fuzz_%s ' "${targets[@]}") >/dev/null

mkdir -p "$bdir/artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fail=0
summary=()
for t in "${targets[@]}"; do
    work="$bdir/corpus/$t"
    mkdir -p "$work"
    log="$bdir/fuzz_$t.log"
    rc=0
    # The CLI parser writes a line to stderr per bad argv: closed for it
    # (-close_fd_mask=3; libFuzzer's reports still come out). The other
    # targets keep stderr, where fuzz_server says which rule broke.
    mask=1
    [ "$t" = cli ] && mask=3
    "$bdir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=30 \
        -rss_limit_mb=2048 -close_fd_mask=$mask -print_final_stats=1 \
        -artifact_prefix="$bdir/artifacts/$t-" \
        "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 || true)
    line="fuzz_$t: ${execs:-?} executions in ${secs} s (${rate:-?}/s), ${cov:-cov: ?}, corpus $(ls "$work" | wc -l) files"
    if [ "$rc" -ne 0 ]; then
        line="$line: FAILED (exit $rc)"
        fail=1
        echo "---- fuzz_$t log (tail) ----" >&2
        tail -n 60 "$log" >&2
    fi
    echo "$line"
    summary+=("$line")
done
[ "$fail" -eq 0 ] || { echo "run-fuzz: a target failed; inputs in $bdir/artifacts" >&2; exit 1; }
