#!/usr/bin/env bash
# Benchmark: the throughput of certkeeper-service's HTTP API, measured side by side with nginx
# serving a small static file on the same machine in the same run, so the numbers carry their
# own yardstick. Not a test: it prints numbers and never passes or fails on them. Run by hand.
#
#   tests/bench/api.sh [BUILD_DIR]          BUILD_DIR defaults to build/release (`make build`)
#
# What it does:
#   1. starts BUILD_DIR/service/certkeeper-service with a temporary data directory on a free
#      loopback port (--data-dir DIR --port P; the token is DIR/api.token);
#   2. fills its database with BENCH_ITEMS realistic managed certificates (default 100) with
#      BUILD_DIR/tests/support/certkeeper-populate before it starts (straight into the store, so
#      10,000 items take seconds and need no license); without that tool, creates them one POST
#      /api/managedcertificates at a time instead;
#   3. starts nginx (Debian's nginx-light) on another free port, with its own temporary prefix,
#      one worker process and access_log off, serving a ~100-byte static file;
#   4. runs wrk (-t2 -c32 -d10s) against, in turn:
#        GET /api/system/appversion                 (no token, smallest answer)
#        GET /api/managedcertificates?limit=20      (with the token: auth, store, JSON)
#        GET /api/managedcertificates?limit=500     (a page as the app loads the list)
#        GET /api/managedcertificates/summary       (counts by health)
#        GET /api/managedcertificates?limit=500 with If-None-Match (304: unchanged, as polling)
#        GET /static.txt from nginx                 (the yardstick)
#        GET /page.json from nginx, the same page of 500 as a file, without and with
#            If-None-Match (nginx's own 304)
#      and prints requests/s, latency percentiles, and the ratios service/nginx.
#   Everything it started is stopped, and its files deleted, on exit (also on Ctrl+C).
#
# Needs: wrk, nginx (nginx-light), curl. packaging/bootstrap-debian.sh installs them.
# Environment: BENCH_DURATION (default 10s), BENCH_THREADS (2), BENCH_CONNECTIONS (32),
# BENCH_ITEMS (100; e.g. 10000 for a large fleet), BENCH_POPULATE (the certkeeper-populate to
# use; to measure another build's service against the same items).
# Read the numbers with care on a shared machine: wrk, the server and anything else running
# compete for the same cores (`nproc` is printed). Compare runs made on the same machine only.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${1:-$repo/build/release}
build_dir=${build_dir%/}
service_bin=$build_dir/service/certkeeper-service
sign_bin=$build_dir/packaging/tools/certkeeper-license-sign
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
item_count=${BENCH_ITEMS:-100}
populate_bin=${BENCH_POPULATE:-$build_dir/tests/support/certkeeper-populate}

die() {
    echo "api.sh: $*" >&2
    exit 1
}

[[ -x $service_bin ]] || die "build first (make build, or pass BUILD_DIR)"
[[ -x $populate_bin || -x $sign_bin ]] || die "build first (make build, or pass BUILD_DIR)"
command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
command -v curl >/dev/null || die "curl is missing: apt-get install curl"
nginx_bin=$(command -v nginx || true)
if [[ -z $nginx_bin && -x /usr/sbin/nginx ]]; then
    nginx_bin=/usr/sbin/nginx # not on a non-root user's PATH
fi
[[ -n $nginx_bin ]] || die "nginx is missing: apt-get install nginx-light"

work=$(mktemp -d "${TMPDIR:-/tmp}/certkeeper-bench.XXXXXX")
data_dir=$work/data
svc_pid=
nginx_pid=

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true # graceful
        wait "$nginx_pid" 2>/dev/null || true
    fi
    if [[ -n $svc_pid ]] && kill -0 "$svc_pid" 2>/dev/null; then
        kill -TERM "$svc_pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 120; i++)); do
            kill -0 "$svc_pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL "$svc_pid" 2>/dev/null || true
        wait "$svc_pid" 2>/dev/null || true
    fi
    if ((status != 0)) && [[ -s $work/service.out ]]; then
        echo "--- last output of certkeeper-service ---" >&2
        tail -n 20 "$work/service.out" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port nothing listens on. Another process may take it before we bind it; the
# service then moves to a nearby port (and says where in servers.json), nginx would fail loudly.
free_port() {
    local port _
    for _ in {1..200}; do
        port=$((20000 + RANDOM % 40000))
        if [[ -z $(ss -Htln "sport = :$port" 2>/dev/null) ]] &&
            ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# The port of the "local" entry of servers.json, which the service writes (pretty-printed, one
# key per line) with the port it actually bound.
bound_port() {
    awk '
        /\{/ { id = ""; port = "" }
        /"id"[[:space:]]*:/ { id = $0; sub(/.*:[[:space:]]*"/, "", id); sub(/".*/, "", id) }
        /"port"[[:space:]]*:/ { port = $0; gsub(/[^0-9]/, "", port) }
        /\}/ { if (id == "local" && port != "") { print port; found = 1; exit } }
        END { exit !found }
    ' "$data_dir/servers.json" 2>/dev/null
}

# --- 1. the service, with its items written into its database first when it can be ---
mkdir -p "$data_dir"
populated=
if [[ -x $populate_bin ]]; then
    echo "Writing $item_count managed certificates into the database..."
    "$populate_bin" --data-dir "$data_dir" --count "$item_count" ||
        die "certkeeper-populate failed"
    populated=$item_count
fi
requested_port=$(free_port) || die "no free port found"
"$service_bin" --data-dir "$data_dir" --port "$requested_port" >"$work/service.out" 2>&1 &
svc_pid=$!
port=
for ((i = 0; i < 150; i++)); do
    kill -0 "$svc_pid" 2>/dev/null || die "certkeeper-service exited during start-up"
    if [[ -s $data_dir/servers.json && -s $data_dir/api.token ]] && port=$(bound_port) &&
        curl -fsS -o /dev/null "http://127.0.0.1:$port/api/system/appversion" 2>/dev/null; then
        break
    fi
    port=
    sleep 0.2
done
[[ -n $port ]] || die "certkeeper-service did not answer within 30 s"
token=$(tr -d '[:space:]' <"$data_dir/api.token")
service=http://127.0.0.1:$port
auth="Authorization: Bearer $token"
version=$(curl -fsS "$service/api/system/appversion")
version=$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$version")

# More than the Community edition's 5 certificates created through the API need a license signed
# with the development key in tests/ (for tests and benchmarks only). Items written into the
# database by certkeeper-populate need none.
if [[ -z $populated ]]; then
    license_key=$("$sign_bin" --private-key "$repo/tests/fixtures/license/dev-private-key.pem" \
        --email bench@example.test) || die "cannot sign a development license key"
    curl -fsS -o /dev/null -X POST -H "$auth" -H 'Content-Type: application/json' \
        --data "{\"key\": \"$license_key\"}" "$service/api/license/activate" ||
        die "the service refused the development license"
fi

# --- 2. the managed certificates the list pages through, if not written already ---
created=${populated:-0}
start_ns=$(date +%s%N)
[[ -n $populated ]] || echo "Creating $item_count managed certificates..."
for ((n = 1; n <= item_count && ${#populated} == 0; n++)); do
    body=$(printf '{"name":"bench %d","requestConfig":{"subjectAlternativeNames":["b%d.example.com"]}}' "$n" "$n")
    code=$(curl -sS -o "$work/post.out" -w '%{http_code}' -X POST \
        -H "$auth" -H 'Content-Type: application/json' --data "$body" \
        "$service/api/managedcertificates") || code=000
    if [[ $code == 2?? ]]; then
        created=$((created + 1))
    else
        echo "POST number $n answered $code: $(head -c 300 "$work/post.out" 2>/dev/null)" >&2
        break
    fi
done
elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
kill -0 "$svc_pid" 2>/dev/null || die "certkeeper-service died while the items were created"
[[ -n $populated ]] ||
    echo "Created $created items in ${elapsed_ms} ms, one POST at a time (each a durable write)."

# --- 3. nginx, the yardstick ---
nginx_port=$(free_port) || die "no free port found"
while [[ $nginx_port == "$port" ]]; do nginx_port=$(free_port); done
mkdir -p "$work/nginx/www" "$work/nginx/tmp" "$work/nginx/logs"
# 100 bytes: about the size of the service's small JSON answers.
printf '%099d\n' 0 | tr 0 x >"$work/nginx/www/static.txt"
# Started by root, nginx's worker would run as "nobody" and could not read the private temporary
# directory: it runs as the user who started the benchmark instead.
user_directive=
if ((EUID == 0)); then
    user_directive="user $(id -un) $(id -gn);"
fi
cat >"$work/nginx/nginx.conf" <<EOF
# One worker: the service answers HTTP on one thread, so both get one core for HTTP.
worker_processes 1;
$user_directive
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/nginx/www;
    }
}
EOF
"$nginx_bin" -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" \
    >"$work/nginx/logs/console.log" 2>&1 &
nginx_pid=$!
nginx=http://127.0.0.1:$nginx_port
for ((i = 0; i < 50; i++)); do
    kill -0 "$nginx_pid" 2>/dev/null ||
        die "nginx exited: $(cat "$work/nginx/logs/console.log" "$work/nginx/logs/error.log")"
    curl -fsS -o /dev/null "$nginx/static.txt" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "$nginx/static.txt" || die "nginx did not answer on $nginx"

# --- 4. the runs ---
# Every endpoint must answer 200 before it is measured: timing 401s would measure nothing.
check_ok() { # URL [HEADER]
    local code
    code=$(curl -sS -o /dev/null -w '%{http_code}' ${2:+-H "$2"} "$1")
    [[ $code == 200 ]] || die "$1 answered $code instead of 200"
}
check_ok "$service/api/system/appversion"
check_ok "$service/api/managedcertificates?limit=20" "$auth"
check_ok "$service/api/managedcertificates?limit=500" "$auth"
check_ok "$service/api/managedcertificates/summary" "$auth"
check_ok "$nginx/static.txt"
page_bytes=$(curl -sS -H "$auth" "$service/api/managedcertificates?limit=500" | wc -c)

# The same page as a static file for nginx, and the validators both give for it: a client that
# polls sends them back and gets 304 Not Modified while nothing changed.
curl -sS -H "$auth" "$service/api/managedcertificates?limit=500" >"$work/nginx/www/page.json"
etag_of() { # URL [HEADER]
    curl -sS -D - -o /dev/null ${2:+-H "$2"} "$1" | awk 'tolower($1) == "etag:" { print $2 }' |
        tr -d '\r'
}
# A fresh fleet has items due: the service's first pass tries them (they fail without an
# account) and saves each, so the first page changes for a while. Measure it at rest, as a
# poller mostly finds it: wait (up to 2 minutes) until the page keeps its tag for a second.
page_etag=$(etag_of "$service/api/managedcertificates?limit=500" "$auth")
for ((wait = 0; wait < 120; wait++)); do
    sleep 1
    now_etag=$(etag_of "$service/api/managedcertificates?limit=500" "$auth")
    [[ $now_etag == "$page_etag" ]] && break
    page_etag=$now_etag
done
nginx_etag=$(etag_of "$nginx/page.json")
[[ -n $page_etag && -n $nginx_etag ]] || die "no ETag from the service ($page_etag) or nginx ($nginx_etag)"
for probe in "$service/api/managedcertificates?limit=500|$page_etag|$auth" "$nginx/page.json|$nginx_etag|"; do
    IFS='|' read -r url tag header <<<"$probe"
    code=$(curl -sS -o /dev/null -w '%{http_code}' ${header:+-H "$header"} -H "If-None-Match: $tag" "$url")
    [[ $code == 304 ]] || die "$url with If-None-Match answered $code instead of 304"
done

# Runs wrk; prints "REQUESTS_PER_SECOND P50 P99" and keeps wrk's full output in $work/NAME.wrk.
measure() { # NAME URL [HEADER...]
    local name=$1 url=$2 out=$work/$1.wrk
    local -a header=()
    shift 2
    for h in "$@"; do header+=(-H "$h"); done
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "${header[@]}" "$url" >"$out" 2>&1 ||
        die "wrk failed for $name: $(cat "$out")"
    if grep -qE 'Non-2xx or 3xx responses|Socket errors' "$out"; then
        echo "warning: $name had errors; the number below counts them too:" >&2
        grep -E 'Non-2xx or 3xx responses|Socket errors' "$out" >&2
    fi
    awk '
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = $2 }
        $1 == "99%" { p99 = $2 }
        END { if (rps == "") exit 1; print rps, p50, p99 }
    ' "$out" || die "cannot read wrk's output for $name: $(cat "$out")"
}

echo
echo "certkeeper-service $version on $service, nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||') on $nginx"
echo "wrk -t$threads -c$connections -d$duration; $(nproc) cores shared by wrk and the server;" \
    "$created managed certificates"
echo

read -r version_rps version_p50 version_p99 < <(measure appversion "$service/api/system/appversion")
read -r list_rps list_p50 list_p99 < <(measure list "$service/api/managedcertificates?limit=20" "$auth")
read -r page_rps page_p50 page_p99 < <(measure page "$service/api/managedcertificates?limit=500" "$auth")
read -r summary_rps summary_p50 summary_p99 < <(measure summary "$service/api/managedcertificates/summary" "$auth")
read -r nginx_rps nginx_p50 nginx_p99 < <(measure nginx "$nginx/static.txt")
read -r same_rps same_p50 same_p99 < <(measure page304 "$service/api/managedcertificates?limit=500" \
    "$auth" "If-None-Match: $page_etag")
read -r npage_rps npage_p50 npage_p99 < <(measure nginxpage "$nginx/page.json")
read -r nsame_rps nsame_p50 nsame_p99 < <(measure nginxpage304 "$nginx/page.json" \
    "If-None-Match: $nginx_etag")

printf '%-44s %12s %10s %10s\n' "endpoint" "requests/s" "p50" "p99"
printf '%-44s %12s %10s %10s\n' "GET /api/system/appversion" "$version_rps" "$version_p50" "$version_p99"
printf '%-44s %12s %10s %10s\n' "GET /api/managedcertificates?limit=20" "$list_rps" "$list_p50" "$list_p99"
printf '%-44s %12s %10s %10s\n' "GET /api/managedcertificates?limit=500" "$page_rps" "$page_p50" "$page_p99"
printf '%-44s %12s %10s %10s\n' "GET /api/managedcertificates/summary" "$summary_rps" "$summary_p50" "$summary_p99"
printf '%-44s %12s %10s %10s\n' "nginx: GET /static.txt (100 bytes)" "$nginx_rps" "$nginx_p50" "$nginx_p99"
printf '%-44s %12s %10s %10s\n' "... limit=500, If-None-Match (304)" "$same_rps" "$same_p50" "$same_p99"
printf '%-44s %12s %10s %10s\n' "nginx: GET /page.json (the same 500)" "$npage_rps" "$npage_p50" "$npage_p99"
printf '%-44s %12s %10s %10s\n' "nginx: /page.json, If-None-Match (304)" "$nsame_rps" "$nsame_p50" "$nsame_p99"
echo "(a page of 500 is $page_bytes bytes; the app loads $created items in $(((created + 499) / 500)) pages)"
echo
awk -v v="$version_rps" -v l="$list_rps" -v n="$nginx_rps" -v p="$page_rps" -v s="$same_rps" \
    -v np="$npage_rps" -v ns="$nsame_rps" 'BEGIN {
    printf "ratio service/nginx: appversion %.2f, list of 20 %.2f\n", v / n, l / n
    printf "a page of 500 unchanged (304) / sent (200): service %.1fx, nginx %.1fx\n", s / p, ns / np
    printf "ratio service/nginx for the page of 500: sent %.2f, unchanged %.2f\n", p / np, s / ns
}'
