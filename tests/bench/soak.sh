#!/usr/bin/env bash
# Soak benchmark: does certkeeper-service stay flat over a long run of everything at once? Not
# part of `make test`: it runs for half an hour by default. Run by hand.
#
#   tests/bench/soak.sh [--duration SECONDS] [--warmup SECONDS] [--out DIR] [BUILD_DIR]
#
#   --duration  how long the traffic runs (default 1800; e.g. 300 for a quick look)
#   --warmup    the first seconds left out of the trend (default 300, at most a third of the run)
#   --out       where soak.csv, soak.png and soak-report.txt go (default BUILD_DIR/soak)
#   BUILD_DIR   defaults to build/release (`make build`)
#
# Set-up, all on loopback ports it picks, removed on exit (also on Ctrl+C):
#   - pebble-challtestsrv as the DNS server (every name is 127.0.0.1);
#   - Pebble refusing 50 % of nonces (PEBBLE_WFE_NONCEREJECT=50: every signed request may come
#     back badNonce, which the service must retry quietly);
#   - certkeeper-service with the dev license, the CA "pebble", an account, its http-01 listener
#     where Pebble validates, renewal checks every minute;
#   - 8 items due for ever (renewal 3650 days before expiry): the scheduler renews them at every
#     check; 3 items that fail on purpose (http-01 through a webroot nothing serves), requested
#     by hand every half minute.
# Then, for the duration (tests/bench/soak.py): mixed API traffic (list, get, summary, settings,
# diagnostics, item logs, create/update/delete of scratch items, preview), SSE clients that
# connect, read a few seconds and go, and a sample of the service's resident memory (VmRSS),
# open descriptors (/proc/PID/fd) and threads every 10 s. At the end it prints the figures, the
# trend after warm-up (least squares, per hour), the errors in the service's log that were not
# provoked, and writes the curves as a PNG (drawn by soak.py itself: no plotting package needed).
#
# Bar: RSS and descriptors flat after warm-up (growth over the window within the noise), no
# unprovoked error. Exit status 0 when the bar is met, 1 when not, 2 when the set-up failed.
# Needs: pebble, pebble-challtestsrv, openssl, curl, Debian's /usr/bin/python3.
# BENCH_KEEP=1 keeps the working directory (logs of every peer) for a look afterwards.
set -euo pipefail

# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"

duration=1800
warmup=
out=
build_arg=
while (($#)); do
    case $1 in
    --duration) duration=${2:?}; shift 2 ;;
    --warmup) warmup=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) build_arg=$1; shift ;;
    esac
done
if ! [[ $duration =~ ^[0-9]+$ ]] || ((duration < 60)); then
    die "--duration takes 60 seconds or more"
fi
if [[ -z $warmup ]]; then
    warmup=$((duration / 3 < 300 ? duration / 3 : 300))
fi
if ! [[ $warmup =~ ^[0-9]+$ ]] || ((warmup >= duration)); then
    die "--warmup must be shorter than the run"
fi

bench_binaries "$build_arg"
need_tools pebble pebble-challtestsrv openssl curl
# Debian's interpreter: the one on PATH may be a shim without the standard set-up.
python=/usr/bin/python3
[[ -x $python ]] || die "$python is missing: apt-get install python3"
out=${out:-$build_dir/soak}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bench_workdir soak

http_port=$(free_port); dns_port=$(free_port); dns_mgmt_port=$(free_port)
pebble-challtestsrv -dns01 "127.0.0.1:$dns_port" -management "127.0.0.1:$dns_mgmt_port" \
    -http01 "" -https01 "" -tlsalpn01 "" >"$work/challtestsrv.log" 2>&1 &
pids+=($!)
pebble_nonce_reject=50
start_pebble "127.0.0.1:$dns_port" "$http_port"
start_service "{\"httpChallengeServerHost\": \"::\", \"httpChallengeServerPort\": $http_port,
    \"dnsResolver\": \"127.0.0.1:$dns_port\"}"
service_pid=${pids[-1]}

api PUT /api/settings '{"renewalCheckIntervalMinutes": 1, "maxParallelRenewals": 4}' >/dev/null
renewing=()
for i in {1..8}; do
    renewing+=("$(api POST /api/managedcertificates "{\"name\": \"renew $i\",
        \"certificateAuthorityId\": \"pebble\",
        \"renewalOverride\": {\"mode\": \"daysBeforeExpiry\", \"interval\": 3650},
        \"requestConfig\": {\"subjectAlternativeNames\": [\"renew$i.soak.example.test\"]}}" |
        json_id)")
done
mkdir -p "$work/unserved" # a webroot nothing serves: the CA's look at it fails
failing=()
for i in {1..3}; do
    failing+=("$(api POST /api/managedcertificates "{\"name\": \"fail $i\",
        \"certificateAuthorityId\": \"pebble\", \"includeInAutoRenew\": false,
        \"requestConfig\": {\"subjectAlternativeNames\": [\"fail$i.soak.example.test\"],
            \"challenges\": [{\"type\": \"http-01\", \"provider\": \"webroot\",
                              \"webrootPath\": \"$work/unserved\"}]}}" | json_id)")
done
for id in "${renewing[@]}" "${failing[@]}"; do [[ -n $id ]] || die "an item was refused"; done

echo "Soak: ${duration} s (warm-up ${warmup} s), Pebble $directory with 50 % badNonce," \
    "service pid $service_pid on port $api_port, $(nproc) cores; results in $out"
status=0
"$python" "$repo/tests/bench/soak.py" --port "$api_port" --token "$token" --pid "$service_pid" \
    --duration "$duration" --warmup "$warmup" --out "$out" \
    --service-log "$data/logs/service.log" \
    --renewing "$(IFS=,; echo "${renewing[*]}")" --failing "$(IFS=,; echo "${failing[*]}")" ||
    status=$?
kill -0 "$service_pid" 2>/dev/null || { echo "soak.sh: the service is gone" >&2; status=1; }
exit "$status"
