# shellcheck shell=bash
# What the issuance benchmarks of tests/bench share (issuance.sh, dns_issuance.sh): sourced by
# them after `set -euo pipefail`, never run on its own. It holds the set-up every run makes the
# same way, so that the benchmarks compare like with like:
#   bench_binaries [BUILD_DIR]   the service, the CLI and the license signer of a build
#   bench_workdir NAME           a temporary directory, removed on exit (kept with BENCH_KEEP=1),
#                                and a trap that stops every process whose pid is in `pids`
#   start_pebble DNS HTTP_PORT   Pebble with its own TLS certificate, asking DNS (host:port) and
#                                validating http-01 on HTTP_PORT; sets `directory`, `pebble_root`
#                                (`pebble_nonce_reject`: the % of nonces it refuses, default 0)
#   start_service [CONFIG]       certkeeper-service with serviceconfig.json = CONFIG, the dev
#                                license, the CA "pebble" and an account; sets `data`, `api_port`
#   api METHOD PATH [JSON]       the service's API with its token; json_id reads an answer's id
#   add_item NAME [CONFIG]       a managed certificate (request config CONFIG, default NAME alone)
#   time_cli_request ID          seconds that `certkeeper-cli request ID` takes
#   free_port, now, elapsed START, median (of numbers on stdin), median_of "LIST", wait_for URL

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_script=${0##*/}

die() { echo "$bench_script: $*" >&2; exit 1; }

need_tools() { # TOOL...
    local tool
    for tool; do
        command -v "$tool" >/dev/null || die "$tool is missing: run packaging/bootstrap-debian.sh --bench"
    done
}

bench_binaries() { # [BUILD_DIR]
    build_dir=${1:-$repo/build/release}
    build_dir=${build_dir%/}
    service_bin=$build_dir/service/certkeeper-service
    cli_bin=$build_dir/app/certkeeper-cli
    sign_bin=$build_dir/packaging/tools/certkeeper-license-sign
    [[ -x $service_bin && -x $cli_bin && -x $sign_bin ]] || die "build first (make build, or pass BUILD_DIR)"
}

pids=()
bench_cleanup() {
    trap - EXIT INT TERM
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ -n ${BENCH_KEEP:-} ]]; then echo "kept: $work"; else rm -rf "$work"; fi
}
bench_workdir() { # NAME
    work=$(mktemp -d "${TMPDIR:-/tmp}/certkeeper-$1.XXXXXX")
    trap bench_cleanup EXIT INT TERM
}

free_port() { # a port no TCP or UDP socket listens on
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
median_of() { tr ' ' '\n' <<<"$1" | grep . | median; } # "t1 t2 ..."
wait_for() { # URL [curl args...]
    local url=$1 _
    shift
    for _ in {1..100}; do curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0; sleep 0.1; done
    die "$url did not answer"
}

# Pebble with PEBBLE_VA_NOSLEEP=1 (no random wait before validating), PEBBLE_WFE_NONCEREJECT=0
# (no nonce refused on purpose; `pebble_nonce_reject=50` before the call refuses half of them, as
# the soak does) and PEBBLE_AUTHZREUSE=0 (every order proves its names anew).
start_pebble() { # DNS_SERVER HTTP_PORT
    # Its TLS certificate: a small root and a leaf for 127.0.0.1.
    pebble_root=$work/root.pem
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-root \
        -keyout "$work/root.key" -out "$pebble_root" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
        -keyout "$work/pebble.key" -out "$work/pebble.csr" 2>/dev/null
    openssl x509 -req -in "$work/pebble.csr" -CA "$pebble_root" -CAkey "$work/root.key" -days 2 \
        -CAcreateserial -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') \
        -out "$work/pebble.pem" 2>/dev/null
    local acme_port mgmt_port
    acme_port=$(free_port)
    mgmt_port=$(free_port)
    cat >"$work/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$acme_port", "managementListenAddress": "127.0.0.1:$mgmt_port",
 "certificate": "$work/pebble.pem", "privateKey": "$work/pebble.key", "httpPort": $2,
 "tlsPort": $(free_port), "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
    PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=${pebble_nonce_reject:-0} PEBBLE_AUTHZREUSE=0 \
        pebble -config "$work/pebble.json" -dnsserver "$1" >"$work/pebble.log" 2>&1 &
    pids+=($!)
    directory=https://127.0.0.1:$acme_port/dir
    wait_for "$directory" --cacert "$pebble_root"
}

# certkeeper-service on a temporary data directory, with the CA "pebble" and an account on it.
start_service() { # [SERVICECONFIG_JSON]
    data=$work/certkeeper
    mkdir -p "$data"
    [[ -z ${1:-} ]] || printf '%s\n' "$1" >"$data/serviceconfig.json"
    api_port=$(free_port)
    "$service_bin" --data-dir "$data" --port "$api_port" >"$work/service.log" 2>&1 &
    pids+=($!)
    wait_for "http://127.0.0.1:$api_port/api/system/appversion"
    token=$(cat "$data/api.token")
    # More than the Community edition's 5 certificates: a license signed with the development
    # key in tests/ (for tests and benchmarks only).
    "$sign_bin" --private-key "$repo/tests/fixtures/license/dev-private-key.pem" \
        --email bench@example.test | "$cli_bin" --data-dir "$data" activate - >/dev/null ||
        die "the service refused the development license"
    api POST /api/certificateauthorities "{\"id\": \"pebble\", \"title\": \"Pebble\",
        \"directoryUrl\": \"$directory\", \"trustedRootFile\": \"$pebble_root\"}" >/dev/null
    api POST /api/accounts '{"certificateAuthorityId": "pebble", "email": "bench@example.test",
        "agreeToTerms": true}' >/dev/null
}
api() { # METHOD PATH [JSON]
    curl -fsS -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        ${3:+--data "$3"} "http://127.0.0.1:$api_port$2"
}
json_id() { grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }
add_item() { # NAME [REQUEST_CONFIG_JSON] -> id
    local config=${2:-"{\"subjectAlternativeNames\": [\"$1\"]}"}
    api POST /api/managedcertificates "{\"name\": \"$1\", \"certificateAuthorityId\": \"pebble\",
        \"requestConfig\": $config}" | json_id
}
time_cli_request() { # ID -> seconds
    local start
    start=$(now)
    "$cli_bin" --data-dir "$data" request "$1" >"$work/cli.out" 2>&1 ||
        die "certkeeper failed: $(cat "$work/cli.out")"
    elapsed "$start"
}
