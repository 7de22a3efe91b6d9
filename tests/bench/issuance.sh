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

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${1:-$repo/build/release}
build_dir=${build_dir%/}
service_bin=$build_dir/service/certkeeper-service
cli_bin=$build_dir/app/certkeeper-cli
sign_bin=$build_dir/packaging/tools/certkeeper-license-sign
runs=${BENCH_RUNS:-7}
batch=${BENCH_BATCH:-100}

die() { echo "issuance.sh: $*" >&2; exit 1; }
for tool in pebble pebble-challtestsrv openssl curl certbot lego; do
    command -v "$tool" >/dev/null || die "$tool is missing: run packaging/bootstrap-debian.sh"
done
[[ -x $service_bin && -x $cli_bin && -x $sign_bin ]] || die "build first (make build, or pass BUILD_DIR)"

work=$(mktemp -d "${TMPDIR:-/tmp}/certkeeper-issuance.XXXXXX")
pids=()
cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ -n ${BENCH_KEEP:-} ]]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

free_port() {
    local port _
    for _ in {1..200}; do
        port=$((20000 + RANDOM % 40000))
        if [[ -z $(ss -Htuln "sport = :$port" 2>/dev/null) ]]; then echo "$port"; return 0; fi
    done
    return 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wait_for() { # URL [curl args...]
    local url=$1; shift
    for _ in {1..100}; do curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0; sleep 0.1; done
    die "$url did not answer"
}

# --- Pebble's TLS certificate: a small root and a leaf for 127.0.0.1 ---
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-root \
    -keyout "$work/root.key" -out "$work/root.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -keyout "$work/pebble.key" -out "$work/pebble.csr" 2>/dev/null
openssl x509 -req -in "$work/pebble.csr" -CA "$work/root.pem" -CAkey "$work/root.key" -days 2 \
    -CAcreateserial -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') \
    -out "$work/pebble.pem" 2>/dev/null

acme_port=$(free_port); mgmt_port=$(free_port); http_port=$(free_port)
dns_port=$(free_port); dns_mgmt_port=$(free_port); api_port=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -management "127.0.0.1:$dns_mgmt_port" \
    -http01 "" -https01 "" -tlsalpn01 "" >"$work/challtestsrv.log" 2>&1 &
pids+=($!)
cat >"$work/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme_port", "managementListenAddress": "127.0.0.1:$mgmt_port",
 "certificate": "$work/pebble.pem", "privateKey": "$work/pebble.key", "httpPort": $http_port,
 "tlsPort": $(free_port), "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 \
    pebble -config "$work/pebble.json" -dnsserver "127.0.0.1:$dns_port" >"$work/pebble.log" 2>&1 &
pids+=($!)
directory=https://127.0.0.1:$acme_port/dir
wait_for "$directory" --cacert "$work/root.pem"

# --- certkeeper-service, its listener where Pebble validates, the CA and an account ---
data=$work/certkeeper
mkdir -p "$data"
printf '{"httpChallengeServerHost": "::", "httpChallengeServerPort": %s}\n' "$http_port" \
    >"$data/serviceconfig.json"
"$service_bin" --data-dir "$data" --port "$api_port" >"$work/service.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$api_port/api/system/appversion"
token=$(cat "$data/api.token")
api() { # METHOD PATH [JSON]
    curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        ${3:+--data "$3"} "http://127.0.0.1:$api_port$2"
}
# The batch is more than the Community edition's 5 certificates: a license signed with the
# development key in tests/ (for tests and benchmarks only).
"$sign_bin" --private-key "$repo/tests/fixtures/license/dev-private-key.pem" \
    --email bench@example.test | "$cli_bin" --data-dir "$data" activate - >/dev/null ||
    die "the service refused the development license"
api POST /api/certificateauthorities "{\"id\": \"pebble\", \"title\": \"Pebble\",
    \"directoryUrl\": \"$directory\", \"trustedRootFile\": \"$work/root.pem\"}" >/dev/null
api POST /api/accounts '{"certificateAuthorityId": "pebble", "email": "bench@example.test",
    "agreeToTerms": true}' >/dev/null
add_item() { # NAME -> id
    api POST /api/managedcertificates "{\"name\": \"$1\", \"certificateAuthorityId\": \"pebble\",
        \"requestConfig\": {\"subjectAlternativeNames\": [\"$1\"]}}" |
        grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
}

echo "Pebble $directory, $(nproc) cores; $runs runs each, one name per certificate"
declare -A times
time_certkeeper() {
    local id start
    id=$(add_item "$1")
    start=$(now)
    "$cli_bin" --data-dir "$data" request "$id" >"$work/cli.out" 2>&1 || die "certkeeper failed: $(cat "$work/cli.out")"
    elapsed "$start"
}
time_certbot() {
    local start
    start=$(now)
    REQUESTS_CA_BUNDLE=$work/root.pem certbot certonly --standalone --non-interactive --agree-tos \
        -m bench@example.test --server "$directory" --http-01-port "$http_port" -d "$1" \
        --config-dir "$work/certbot" --work-dir "$work/certbot" --logs-dir "$work/certbot" \
        >"$work/certbot.out" 2>&1 || die "certbot failed: $(tail -5 "$work/certbot.out")"
    elapsed "$start"
}
time_lego() {
    local start
    start=$(now)
    LEGO_CA_CERTIFICATES=$work/root.pem lego --server "$directory" --email bench@example.test \
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
ck=$(tr ' ' '\n' <<<"${times[certkeeper]}" | grep . | median)
cb=$(tr ' ' '\n' <<<"${times[certbot]}" | grep . | median)
lg=$(tr ' ' '\n' <<<"${times[lego]}" | grep . | median)
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
