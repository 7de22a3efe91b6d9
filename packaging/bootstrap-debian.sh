#!/usr/bin/env bash
# Installs the Debian 12 packages Certkeeper builds and tests with (`--bench`: also what only
# the benchmarks in tests/bench need; `--package`: also what only `make package` needs). Idempotent: it only calls apt-get when something is
# missing, runs `apt-get update` once, and works as root or via sudo.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libgl-dev
  libqt6sql6-psql # Qt SQL's PostgreSQL driver: the store several services can share
  libqt6svg6 # run time: the SVG plugins that draw the app's icon (resources/icons)
  libboost-dev libssl-dev
  libcurl4-openssl-dev # webhooks and SMTP email (notifications, deploy tasks)
  libsystemd-dev # failure notices in the system journal (sd_journal_sendv)
  libssh-dev # the ssh deployment task: SFTP and remote commands, with host keys we check ourselves
  libldns-dev # RFC 2136 dynamic DNS updates with TSIG (dns-01), instead of hand-built packets
  lexicon # about 70 more dns-01 providers (lexicon:<name>), run by the service; its tests need it
  # tests
  catch2 sqlite3 xvfb xauth
  postgresql # initdb and postgres, run by the store tests in a temporary folder (no system cluster)
  dbus-daemon # a private session bus for the desktop-notification tests (tests/gui)
  openssl # an independent parser for the CSRs, certificates and PKCS#12 files we write
  pebble  # Let's Encrypt's test CA, the ACME peer of the end-to-end tests
  bind9 bind9-utils # an authoritative DNS server with a TSIG-updatable zone, for dns-01
  pdns-server pdns-backend-sqlite3 # PowerDNS with its HTTP API, for the PowerDNS dns-01 provider
  python3 # /usr/bin/python3 runs the DNS API stand-ins (tests/standins)
  python3-aiosmtpd # an SMTP server with STARTTLS and AUTH that receives notification emails
  openssh-server openssh-client # a real sshd (and ssh-keygen) as the ssh deployment task's far side
  nginx-light # a web server for webroot challenges and reload tasks (and the benchmarks' yardstick)
  tinyproxy # the HTTP proxy the outgoing-proxy tests tunnel the service's HTTPS through (CONNECT, BasicAuth)
  # The servers the haproxy, apache, postfix and dovecot deployment tasks are tested against
  # (deploy_servers_tests, e2e_servers_tests): the tests start each with a configuration of their
  # own on free loopback ports; the system services are neither started nor configured here
  # (policy-rc.d and the postfix preseed below).
  haproxy apache2 postfix dovecot-imapd
  certbot # revokes a certificate behind the service's back in the revocation watch's tests;
          # makes the lineages the adoption tests adopt (e2e_adopt_tests), and its
          # python3-cryptography makes their expired and self-signed certificates
  lego # makes the certificates and account the adoption tests adopt (e2e_adopt_tests)
  prometheus # promtool checks the service's /api/metrics text and the example alert rules
  clang-format # the format check (ctest format_check)
  clang libclang-rt-14-dev # the fuzz preset: clang with libFuzzer, ASan and UBSan (make fuzz)
)
case ${1:-} in
--bench)
  packages+=(
    wrk curl # the load generator, and set-up of the API benchmark
    python3-certbot-dns-rfc2136 # certbot's RFC 2136 plugin: the dns-01 benchmark's yardstick
  )
  ;;
--package)
  packages+=(
    lintian # checks the .deb against Debian policy after cpack
  )
  ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "error: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt_options=()
# The tests start PostgreSQL themselves: the package must not make a cluster of its own. Our
# createcluster.conf is kept (confold) when postgresql-common brings its own.
if [[ " ${missing[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
  "${sudo[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  apt_options+=(-o Dpkg::Options::=--force-confold)
fi

# Installing a server package starts its system service (on :80, :443, :25, :143...) unless
# /usr/sbin/policy-rc.d says no; the tests run their own instances, and a build machine should
# not start serving. A policy-rc.d that exits 101 ("action forbidden") is put there for the
# install only, and removed afterwards if this script created it (one already there is the
# machine's own and stays as it is).
policy_rc=/usr/sbin/policy-rc.d
if [[ ! -e $policy_rc ]]; then
  printf '#!/bin/sh\n# Written by certkeeper bootstrap-debian.sh while it installs packages.\nexit 101\n' |
    "${sudo[@]}" tee "$policy_rc" >/dev/null
  "${sudo[@]}" chmod 0755 "$policy_rc"
  trap '"${sudo[@]}" rm -f "$policy_rc"' EXIT
fi
# Postfix asks what kind of mail server it is; "No configuration" writes no main.cf and sets
# nothing up, so it neither asks nor relays mail.
echo "postfix postfix/main_mailer_type select No configuration" |
  "${sudo[@]}" debconf-set-selections

"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${apt_options[@]}" "${missing[@]}"
