#!/usr/bin/env bash
# Runs Certkeeper from a build directory; `make run` calls it after building.
#
#   packaging/run-local.sh BUILD_DIR
#
# 1. Starts BUILD_DIR/service/certkeeper-service in user mode. Its data directory is
#    $CERTKEEPER_DATA_DIR, else $XDG_DATA_HOME/certkeeper (~/.local/share/certkeeper).
#    If a service already answers at the port named in that directory's servers.json, that one
#    is used instead, and left running.
# 2. Waits until http://HOST:PORT/api/system/appversion answers, HOST and PORT being the "local"
#    entry of servers.json (the service writes the port it actually bound there).
# 3. With a display ($DISPLAY or $WAYLAND_DISPLAY): runs the manager window, BUILD_DIR/app/certkeeper,
#    in the foreground, and stops the service it started when the window closes.
#    Without one: keeps the service in the foreground, showing its output, until Ctrl+C.
# If the service exits early, its last output is shown and the exit status is non-zero.
#
# Needs only bash and coreutils: the API is probed through bash's /dev/tcp, and servers.json
# (which the service writes pretty-printed, one key per line) is read with awk.
set -euo pipefail

readonly ready_timeout_s=60 # first start may check and back up the database
readonly stop_timeout_s=35  # the service gives requests in flight 15 s, then stops

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build_dir=${1%/}
service_bin=$build_dir/service/certkeeper-service
app_bin=$build_dir/app/certkeeper
cli_bin=$build_dir/app/certkeeper-cli
if [[ ! -x $service_bin ]]; then
    echo "error: $service_bin is missing: build first (make run builds it)" >&2
    exit 1
fi

data_dir=${CERTKEEPER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/certkeeper}
servers_json=$data_dir/servers.json
# The app and the CLI find the service through this directory's servers.json.
export CERTKEEPER_DATA_DIR=$data_dir

svc_pid=     # the service this script started, if any
tail_pid=    # the `tail -f` showing its output, if any
work_dir=    # holds the service's console output
log=

# Prints "HOST PORT" of the "local" entry of servers.json; fails when there is none.
local_endpoint() {
    [[ -r $servers_json ]] || return 1
    awk '
        function value(line, key) {
            sub(".*\"" key "\"[[:space:]]*:[[:space:]]*", "", line)
            gsub(/^"|"?,?[[:space:]]*$/, "", line)
            return line
        }
        /\{/ { id = ""; host = ""; port = "" }
        /"id"[[:space:]]*:/ { id = value($0, "id") }
        /"host"[[:space:]]*:/ { host = value($0, "host") }
        /"port"[[:space:]]*:/ { port = value($0, "port") }
        /\}/ {
            if (id == "local" && port ~ /^[0-9]+$/) { print (host == "" ? "127.0.0.1" : host), port; found = 1; exit }
        }
        END { exit !found }
    ' "$servers_json"
}

url_of() { # HOST PORT
    if [[ $1 == *:* ]]; then echo "http://[$1]:$2"; else echo "http://$1:$2"; fi
}

# True when GET /api/system/appversion at HOST PORT answers 200.
api_answers() { # HOST PORT
    local host=$1 port=$2 authority status fd
    authority=$(url_of "$host" "$port")
    authority=${authority#http://}
    exec {fd}<>"/dev/tcp/$host/$port" || return 1
    printf 'GET /api/system/appversion HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' \
        "$authority" >&"$fd" || true
    status=
    IFS= read -r -t 3 status <&"$fd" || true
    exec {fd}>&-
    [[ $status == "HTTP/1."[01]" 200"* ]]
}

show_last_output() {
    [[ -n $log && -s $log ]] || return 0
    echo "--- last output of certkeeper-service ($log) ---" >&2
    tail -n 25 "$log" >&2
    echo "--- the service log is in $data_dir/logs/service.log ---" >&2
}

stop_tail() {
    if [[ -n $tail_pid ]]; then
        kill "$tail_pid" 2>/dev/null || true
        wait "$tail_pid" 2>/dev/null || true
        tail_pid=
    fi
}

# Stops the service this script started: SIGTERM, then SIGKILL if it will not stop.
stop_service() {
    [[ -n $svc_pid ]] || return 0
    if kill -0 "$svc_pid" 2>/dev/null; then
        echo "Stopping the certkeeper-service started here (pid $svc_pid)..."
        kill -TERM "$svc_pid" 2>/dev/null || true
        local i
        for ((i = 0; i < stop_timeout_s * 4; i++)); do
            kill -0 "$svc_pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$svc_pid" 2>/dev/null; then
            echo "It did not stop within ${stop_timeout_s}s; killing it." >&2
            kill -KILL "$svc_pid" 2>/dev/null || true
        fi
    fi
    local rc=0
    wait "$svc_pid" 2>/dev/null || rc=$?
    svc_pid=
    stop_tail
    return "$rc"
}

cleanup() {
    stop_service || true
    stop_tail
    # Keep the console output when something went wrong, so it can be read afterwards.
    if [[ -n $work_dir && ${keep_output:-0} -eq 0 ]]; then
        rm -rf "$work_dir"
    fi
}
trap cleanup EXIT
on_signal() { # SIGNAL-NAME EXIT-STATUS
    echo
    echo "Got SIG$1."
    stop_service || true
    exit "$2"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

have_display() { [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; }

# --- 1. a service: already running, or started here ---
url=
if read -r host port < <(local_endpoint 2>/dev/null) && api_answers "$host" "$port" 2>/dev/null; then
    url=$(url_of "$host" "$port")
    echo "A Certkeeper service already answers at $url (data directory $data_dir): using it;"
    echo "this script did not start it and will not stop it."
else
    mkdir -p "$data_dir"
    work_dir=$(mktemp -d "${TMPDIR:-/tmp}/certkeeper-run.XXXXXX")
    log=$work_dir/service.out
    started_marker=$work_dir/started
    : >"$started_marker"
    echo "Starting $service_bin (data directory $data_dir)"
    "$service_bin" >"$log" 2>&1 &
    svc_pid=$!

    # --- 2. wait until its API answers ---
    deadline=$((SECONDS + ready_timeout_s))
    while :; do
        if ! kill -0 "$svc_pid" 2>/dev/null; then
            rc=0
            wait "$svc_pid" || rc=$?
            svc_pid=
            keep_output=1
            echo "error: certkeeper-service exited during start-up (exit status $rc)." >&2
            show_last_output
            exit $((rc == 0 ? 1 : rc))
        fi
        # servers.json is only trusted once this run of the service has rewritten it.
        if [[ $servers_json -nt $started_marker ]] &&
            read -r host port < <(local_endpoint 2>/dev/null) &&
            api_answers "$host" "$port" 2>/dev/null; then
            url=$(url_of "$host" "$port")
            break
        fi
        if ((SECONDS >= deadline)); then
            keep_output=1
            echo "error: certkeeper-service did not answer at the port in $servers_json within" \
                "${ready_timeout_s}s." >&2
            show_last_output
            exit 1
        fi
        sleep 0.2
    done
    echo "certkeeper-service (pid $svc_pid) is listening on $url"
fi

# --- 3. the window, or the service in the foreground ---
if have_display && [[ -x $app_bin ]]; then
    if [[ -n $svc_pid ]]; then
        echo "Opening the manager window; closing it stops the service started here."
        echo "(service output: $log)"
    else
        echo "Opening the manager window."
    fi
    app_rc=0
    "$app_bin" || app_rc=$?
    echo "The manager window closed (exit status $app_rc)."
    svc_rc=0
    stop_service || svc_rc=$?
    if ((svc_rc != 0 && svc_rc != 143)); then
        keep_output=1
        echo "error: certkeeper-service exited with status $svc_rc." >&2
        show_last_output
        exit "$svc_rc"
    fi
    exit "$app_rc"
fi

if have_display; then
    echo "The manager window was not built ($app_bin is missing)."
else
    echo "No display found (\$DISPLAY and \$WAYLAND_DISPLAY are empty): the manager window cannot open."
fi
if [[ -z $svc_pid ]]; then
    echo "The service keeps running at $url; use $cli_bin list|status|add ... to manage it."
    exit 0
fi
echo "The service keeps running in the foreground at $url; use $cli_bin list|status|add ..." \
    "in another terminal. Ctrl+C stops it."
echo
tail -n +1 -f --pid="$svc_pid" "$log" &
tail_pid=$!

rc=0
wait "$svc_pid" || rc=$?
svc_pid=
sleep 0.3 # let tail print the last lines
stop_tail
if ((rc != 0)); then
    keep_output=1
    echo "error: certkeeper-service exited with status $rc." >&2
    show_last_output
    exit "$rc"
fi
echo "certkeeper-service stopped."
