#!/usr/bin/env bash
# Benchmark: how long one certificate takes with certkeeper, certbot and lego against the same
# Pebble in the same run, and how long the service takes for a batch of certificates at once.
# Not a test: it prints medians and ratios and never passes or fails. Run by hand.
#
#   tests/bench/issuance.sh [BUILD_DIR]        BUILD_DIR defaults to build/release (`make build`)
#
# Set-up, all on loopback ports it picks, removed on exit (also on Ctrl+C):
#   - pebble-challtestsrv as the DNS server (every name is 127.0.0.1 / ::1);
#   - Pebble with PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0, PEBBLE_AUTHZREUSE=0, with a TLS
#     certificate generated here by openssl;
#   - certkeeper-service with its http-01 listener on the port Pebble validates against.
# Then, for BENCH_RUNS (default 7) names each, one at a time:
#   certkeeper-cli request ID       (the item is added first; only the request is timed)
#   certbot certonly --standalone   (one account for all runs, like certkeeper's)
#   lego run --http                 (one account for all runs)
# and a batch: BENCH_BATCH (default 100) items requested at once through the API, timed from the
# first request to the last certificate.
# Needs: pebble, openssl, curl, certbot, lego (packaging/bootstrap-debian.sh installs them).
# BENCH_KEEP=1 keeps the working directory (logs of every peer) for a look afterwards.
set -euo pipefail

# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_binaries "${1:-}"
need_tools pebble pebble-challtestsrv openssl curl certbot lego
runs=${BENCH_RUNS:-7}
batch=${BENCH_BATCH:-100}
bench_workdir issuance

http_port=$(free_port); dns_port=$(free_port); dns_mgmt_port=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -management "127.0.0.1:$dns_mgmt_port" \
    -http01 "" -https01 "" -tlsalpn01 "" >"$work/challtestsrv.log" 2>&1 &
pids+=($!)
start_pebble "127.0.0.1:$dns_port" "$http_port"

# --- certkeeper-service, its listener where Pebble validates, the CA and an account ---
start_service "{\"httpChallengeServerHost\": \"::\", \"httpChallengeServerPort\": $http_port}"

echo "Pebble $directory, $(nproc) cores; $runs runs each, one name per certificate"
declare -A times
time_certkeeper() {
    local id
    id=$(add_item "$1")
    time_cli_request "$id"
}
time_certbot() {
    local start
    start=$(now)
    REQUESTS_CA_BUNDLE=$pebble_root certbot certonly --standalone --non-interactive --agree-tos \
        -m bench@example.test --server "$directory" --http-01-port "$http_port" -d "$1" \
        --config-dir "$work/certbot" --work-dir "$work/certbot" --logs-dir "$work/certbot" \
        >"$work/certbot.out" 2>&1 || die "certbot failed: $(tail -5 "$work/certbot.out")"
    elapsed "$start"
}
time_lego() {
    local start
    start=$(now)
    LEGO_CA_CERTIFICATES=$pebble_root lego --server "$directory" --email bench@example.test \
        --accept-tos --path "$work/lego" --domains "$1" --http --http.port ":$http_port" run \
        >"$work/lego.out" 2>&1 || die "lego failed: $(tail -5 "$work/lego.out")"
    elapsed "$start"
}
for tool in certkeeper certbot lego; do
    for ((i = 1; i <= runs; i++)); do
        times[$tool]+="$("time_$tool" "$tool$i.bench.example.test") "
    done
    printf '  %-10s runs (s): %s\n' "$tool" "${times[$tool]}"
done
ck=$(median_of "${times[certkeeper]}")
cb=$(median_of "${times[certbot]}")
lg=$(median_of "${times[lego]}")
echo
printf 'Median of one issuance: certkeeper %.3f s, certbot %.3f s, lego %.3f s\n' "$ck" "$cb" "$lg"
awk -v c="$ck" -v b="$cb" -v l="$lg" 'BEGIN {
    printf "certkeeper takes %.3f of certbot'\''s time (%.1fx faster) and %.3f of lego'\''s (%.1fx faster)\n",
        c / b, b / c, c / l, l / c }'

# --- a batch at once ---
ids=()
for ((i = 1; i <= batch; i++)); do ids+=("$(add_item "batch$i.bench.example.test")"); done
start=$(now)
for id in "${ids[@]}"; do api POST "/api/managedcertificates/$id/request" '{}' >/dev/null; done
while :; do
    page=$(api GET "/api/managedcertificates?limit=1000&search=batch")
    busy=$(grep -o '"lastRenewalStatus":"\(Queued\|Running\)"' <<<"$page" | wc -l || true)
    [[ $busy -eq 0 ]] && break
    sleep 0.05
done
batch_time=$(elapsed "$start")
ok=$(grep -o '"lastRenewalStatus":"Success"' <<<"$page" | wc -l || true)
echo
printf 'Batch: %d certificates requested at once, %d issued in %.3f s (%.1f per second)\n' \
    "$batch" "$ok" "$batch_time" "$(awk -v n="$ok" -v t="$batch_time" 'BEGIN { print n / t }')"
