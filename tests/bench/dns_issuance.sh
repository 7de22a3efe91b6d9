#!/usr/bin/env bash
# Benchmark: how long one wildcard certificate (dns-01) takes with certkeeper, through PowerDNS's
# HTTP API and through RFC 2136 updates, and with certbot's RFC 2136 plugin, against the same
# PowerDNS and the same Pebble in the same run. Not a test: it prints medians and ratios and
# never passes or fails. Run by hand.
#
#   tests/bench/dns_issuance.sh [BUILD_DIR]    BUILD_DIR defaults to build/release (`make build`)
#
# Set-up, all on loopback ports it picks, removed on exit (also on Ctrl+C):
#   - PowerDNS Authoritative (gsqlite3, its schema from pdns-backend-sqlite3) with the zone
#     bench.test, the HTTP API on, every cache off (a record is served as soon as it is written),
#     and RFC 2136 updates allowed (dnsupdate=yes) for one TSIG key (hmac-sha256; the tsigkeys
#     table, the zone's TSIG-ALLOW-DNSUPDATE and ALLOW-DNSUPDATE-FROM 127.0.0.1 metadata);
#   - Pebble (tests/bench/bench_lib.sh) asking that PowerDNS for the TXT records;
#   - certkeeper-service with the CA, an account, and a credential of each kind for PowerDNS.
# Then, for BENCH_RUNS (default 5) certificates each, one at a time, every one for a wildcard and
# its base name, *.nN.bench.test and nN.bench.test (two TXT values at one name at once):
#   certkeeper powerdns   certkeeper-cli request ID, the rule {"type": "dns-01", "provider":
#                         "powerdns", "credentialId": ...} (apiUrl, apiKey, dnsServer)
#   certkeeper rfc2136    certkeeper-cli request ID, the rfc2136 provider with the TSIG key (no
#                         zone given: found with SOA queries, as certbot does)
#   certbot rfc2136       certbot certonly --dns-rfc2136 with the same key
# (certkeeper's items and certbot's account are made before the timing starts). certkeeper asks
# the server until it serves the records; certbot waits a fixed --dns-rfc2136-propagation-seconds
# instead: BENCH_CERTBOT_PROPAGATION, by default the smallest value that works here (see below).
# Afterwards it counts the _acme-challenge TXT records left in the zone (0 expected).
# Needs: pdns-server, pdns-backend-sqlite3, sqlite3, pebble, openssl, curl, certbot and
# python3-certbot-dns-rfc2136 (packaging/bootstrap-debian.sh --bench installs them).
# BENCH_KEEP=1 keeps the working directory (logs of every peer) for a look afterwards.
set -euo pipefail

# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench_lib.sh"
bench_binaries "${1:-}"
need_tools sqlite3 pebble openssl curl certbot
runs=${BENCH_RUNS:-5}
# certbot does not look whether the records are served: it sleeps this long after adding them.
# Here PowerDNS reads every answer from its database (caches off) and Pebble asks that very
# server, so a record is served once the update is acknowledged and 0 s is enough: 0 passed
# 30 issuances in a row, while on a real primary with secondaries the plugin's 60 s default is
# what stands between certbot and a failed validation.
propagation=${BENCH_CERTBOT_PROPAGATION:-0}
pdns_bin=$(command -v pdns_server || echo /usr/sbin/pdns_server) # not on a non-root user's PATH
[[ -x $pdns_bin ]] || die "pdns_server is missing: run packaging/bootstrap-debian.sh --bench"
schema=
for f in /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql \
    /usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql; do
    [[ -f $f ]] && schema=$f && break
done
[[ -n $schema ]] || die "no gsqlite3 schema: install pdns-backend-sqlite3"
bench_workdir dns-issuance
certbot_dirs=(--config-dir "$work/certbot" --work-dir "$work/certbot" --logs-dir "$work/certbot")
certbot plugins "${certbot_dirs[@]}" 2>/dev/null | grep -q dns-rfc2136 ||
    die "certbot has no dns-rfc2136 plugin: run packaging/bootstrap-debian.sh --bench"

# --- PowerDNS: the zone bench.test, a TSIG key allowed to update it, the API ---
zone=bench.test
key_name=certkeeper-bench
key_secret=$(openssl rand -base64 32)
api_key=$(openssl rand -hex 16)
pdns_db=$work/pdns.sqlite3
dns_port=$(free_port); pdns_api_port=$(free_port)
{
    cat "$schema"
    cat <<SQL
BEGIN;
INSERT INTO domains (id, name, type) VALUES (1, '$zone', 'NATIVE');
INSERT INTO records (domain_id, name, type, content, ttl, prio, disabled, auth) VALUES
    (1, '$zone', 'SOA', 'ns.$zone hostmaster.$zone 1 3600 600 86400 60', 60, 0, 0, 1),
    (1, '$zone', 'NS', 'ns.$zone', 60, 0, 0, 1),
    (1, 'ns.$zone', 'A', '127.0.0.1', 60, 0, 0, 1);
INSERT INTO tsigkeys (name, algorithm, secret) VALUES ('$key_name', 'hmac-sha256', '$key_secret');
INSERT INTO domainmetadata (domain_id, kind, content) VALUES
    (1, 'TSIG-ALLOW-DNSUPDATE', '$key_name'),
    (1, 'ALLOW-DNSUPDATE-FROM', '127.0.0.1');
COMMIT;
SQL
} | sqlite3 "$pdns_db"
# As tests/e2e/support/PowerDnsProcess.cpp, plus dnsupdate: no cache, no security poll, no
# guardian or daemon, its control socket in the work directory.
cat >"$work/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$pdns_db
local-address=127.0.0.1
local-port=$dns_port
api=yes
api-key=$api_key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$pdns_api_port
webserver-allow-from=127.0.0.0/8
dnsupdate=yes
allow-dnsupdate-from=127.0.0.1
socket-dir=$work
guardian=no
daemon=no
disable-syslog=yes
log-timestamp=no
loglevel=4
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
zone-cache-refresh-interval=0
receiver-threads=1
distributor-threads=1
primary=no
secondary=no
CONF
"$pdns_bin" --config-dir="$work" >"$work/pdns.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$pdns_api_port/api/v1/servers/localhost/zones/$zone." -H "X-API-Key: $api_key"
for _ in {1..50}; do [[ -n $(ss -Hlun "sport = :$dns_port") ]] && break; sleep 0.1; done
leftovers() { # the _acme-challenge TXT records in the zone's database
    sqlite3 "$pdns_db" "SELECT count(*) FROM records WHERE type = 'TXT'
        AND name LIKE '\\_acme-challenge.%' ESCAPE '\\';"
}

start_pebble "127.0.0.1:$dns_port" "$(free_port)"

# --- certkeeper-service, the CA, an account, a credential of each kind ---
# bench.test exists only in this PowerDNS: it is the resolver the service asks about names
# (dnsResolver), so that every DNS question of the run stays on loopback.
start_service "{\"httpChallengeServerHost\": \"127.0.0.1\", \"httpChallengeServerPort\": $(free_port),
    \"tlsAlpnChallengeServerPort\": $(free_port), \"dnsResolver\": \"127.0.0.1:$dns_port\"}"
pdns_credential=$(api POST /api/credentials "{\"type\": \"powerdns\", \"title\": \"PowerDNS\",
    \"values\": {\"apiUrl\": \"http://127.0.0.1:$pdns_api_port\", \"apiKey\": \"$api_key\",
    \"dnsServer\": \"127.0.0.1:$dns_port\"}}" | json_id)
tsig_credential=$(api POST /api/credentials "{\"type\": \"rfc2136\", \"title\": \"PowerDNS TSIG\",
    \"values\": {\"server\": \"127.0.0.1\", \"port\": \"$dns_port\", \"keyName\": \"$key_name\",
    \"algorithm\": \"hmac-sha256\", \"secret\": \"$key_secret\"}}" | json_id)
[[ -n $pdns_credential && -n $tsig_credential ]] || die "the service did not store the credentials"

# --- certbot: the same TSIG key, and one account for all runs, made before the timing ---
cat >"$work/rfc2136.ini" <<INI
dns_rfc2136_server = 127.0.0.1
dns_rfc2136_port = $dns_port
dns_rfc2136_name = $key_name
dns_rfc2136_secret = $key_secret
dns_rfc2136_algorithm = HMAC-SHA256
INI
chmod 600 "$work/rfc2136.ini"
REQUESTS_CA_BUNDLE=$pebble_root certbot register --non-interactive --agree-tos \
    -m bench@example.test --server "$directory" "${certbot_dirs[@]}" >"$work/certbot.out" 2>&1 ||
    die "certbot could not register: $(tail -5 "$work/certbot.out")"

echo "PowerDNS $("$pdns_bin" --version 2>&1 | grep -o 'Authoritative Server [0-9.]*' | cut -d' ' -f3)" \
    "127.0.0.1:$dns_port, Pebble $directory, $(nproc) cores"
echo "$runs runs each, one certificate for *.nN.$zone and nN.$zone at a time"
if [[ -z ${BENCH_CERTBOT_PROPAGATION:-} ]]; then
    why="the smallest that works here: PowerDNS serves from its database with every cache off and Pebble asks it directly"
else
    why="BENCH_CERTBOT_PROPAGATION"
fi
echo "certbot sleeps a fixed --dns-rfc2136-propagation-seconds $propagation after adding the records" \
    "($why; the plugin's default is 60); certkeeper asks the server until it serves them"
n=0
time_certkeeper() { # PROVIDER CREDENTIAL NAME
    local id
    id=$(add_item "$3" "{\"subjectAlternativeNames\": [\"*.$3\", \"$3\"],
        \"challenges\": [{\"type\": \"dns-01\", \"provider\": \"$1\", \"credentialId\": \"$2\"}]}")
    [[ -n $id ]] || die "the service did not create the item for $3"
    time_cli_request "$id"
}
time_ck_powerdns() { time_certkeeper powerdns "$pdns_credential" "$1"; }
time_ck_rfc2136() { time_certkeeper rfc2136 "$tsig_credential" "$1"; }
time_certbot() { # NAME
    local start
    start=$(now)
    REQUESTS_CA_BUNDLE=$pebble_root certbot certonly --non-interactive --agree-tos \
        -m bench@example.test --server "$directory" "${certbot_dirs[@]}" \
        --dns-rfc2136 --dns-rfc2136-credentials "$work/rfc2136.ini" \
        --dns-rfc2136-propagation-seconds "$propagation" -d "*.$1" -d "$1" \
        >"$work/certbot.out" 2>&1 || die "certbot failed: $(tail -5 "$work/certbot.out")"
    elapsed "$start"
}
declare -A times label=([ck_powerdns]="certkeeper powerdns" [ck_rfc2136]="certkeeper rfc2136"
    [certbot]="certbot rfc2136")
for tool in ck_powerdns ck_rfc2136 certbot; do
    for ((i = 1; i <= runs; i++)); do
        n=$((n + 1))
        times[$tool]+="$("time_$tool" "n$n.$zone") "
    done
    printf '  %-19s runs (s): %s(records left: %s)\n' "${label[$tool]}" "${times[$tool]}" "$(leftovers)"
done
ck_pdns=$(median_of "${times[ck_powerdns]}")
ck_tsig=$(median_of "${times[ck_rfc2136]}")
cb=$(median_of "${times[certbot]}")
echo
printf 'Median of one wildcard issuance: certkeeper powerdns %.3f s, certkeeper rfc2136 %.3f s,' \
    "$ck_pdns" "$ck_tsig"
printf ' certbot rfc2136 %.3f s (propagation-seconds %s)\n' "$cb" "$propagation"
awk -v p="$ck_pdns" -v t="$ck_tsig" -v b="$cb" 'BEGIN {
    printf "certbot / certkeeper: %.1fx with the powerdns provider, %.1fx with rfc2136 (like for like)\n",
        b / p, b / t }'
left=$(leftovers)
echo "_acme-challenge TXT records left in $zone: $left"
if [[ $left != 0 ]]; then
    sqlite3 "$pdns_db" "SELECT '  ' || name || ' ' || content FROM records WHERE type = 'TXT'
        AND name LIKE '\\_acme-challenge.%' ESCAPE '\\';"
fi
