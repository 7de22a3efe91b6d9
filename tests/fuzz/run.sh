#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz preset for a while and fails on any finding.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]     (make fuzz; CI runs it with 20 s per target)
# Each target starts from the seeds in tests/fuzz/corpus/<name> (left untouched) plus what
# earlier runs found in BUILD_DIR/fuzz-corpus/<name>. A crash, a leak, a sanitizer report or a
# broken invariant stops the target; the input is kept as BUILD_DIR/fuzz-findings/<name>-*,
# to be turned into a regression test. The last line of each run is libFuzzer's own summary:
# executions, coverage (cov: edges reached, ft: features) and speed. Targets run side by side,
# one per core (FUZZ_JOBS to change it), and report in name order.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
parallel=${FUZZ_JOBS:-$(nproc)}

# One target: its summary line (or its findings) into BUILD_DIR/fuzz-NAME.result; fails on a
# finding.
run_target() {
    local binary=$1
    local name=${binary##*/fuzz_}
    local corpus=$build_dir/fuzz-corpus/$name
    local findings=$build_dir/fuzz-findings
    local result=$build_dir/fuzz-$name.result
    mkdir -p "$corpus" "$findings"
    local dict=()
    case $name in
        csv) dict=(-dict="$here/dict/csv.dict") ;;
        sse) dict=(-dict="$here/dict/sse.dict") ;;
        http_request) dict=(-dict="$here/dict/http.dict") ;;
        acme_answer) dict=(-dict="$here/dict/acme.dict") ;;
        license_key) dict=(-dict="$here/dict/license.dict") ;;
        backup_package) dict=(-dict="$here/dict/backup.dict") ;;
        *json*) dict=(-dict="$here/dict/json.dict") ;;
        # crypto (DER/PEM) and dns_answer (DNS wire format) are binary: no keywords to give.
    esac
    local log=$build_dir/fuzz-$name.log
    # -rss_limit_mb: a parser that balloons on a small input is a finding too.
    if "$binary" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$findings/$name-" "${dict[@]}" "$corpus" "$here/corpus/$name" \
        >"$log" 2>&1; then
        local runs summary
        runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
        summary=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 |
            grep -oE 'cov: [0-9]+ ft: [0-9]+|exec/s: [0-9]+' | tr '\n' ' ')
        printf '%-14s ok    %10s runs  %s\n' "$name" "$runs" "$summary" >"$result"
        return 0
    fi
    {
        printf '%-14s FOUND a problem; input and report:\n' "$name"
        grep -E 'ERROR|SUMMARY|Test unit written|deadly signal' "$log" | head -8 | sed 's/^/    /'
    } >"$result"
    return 1
}

status=0
names=()
for binary in "$build_dir"/tests/fuzz/fuzz_*; do
    [[ -f $binary && -x $binary ]] || continue
    names+=("${binary##*/fuzz_}")
    while (($(jobs -rp | wc -l) >= parallel)); do
        wait -n || status=1
    done
    run_target "$binary" &
done
while (($(jobs -rp | wc -l) > 0)); do
    wait -n || status=1
done
for name in "${names[@]}"; do
    cat "$build_dir/fuzz-$name.result"
done
exit $status
