#!/usr/bin/env bash
# Installs the Debian 12 packages Certkeeper builds and tests with (`--bench`: also what only
# the benchmarks in tests/bench need; `--package`: also what only `make package` needs). Idempotent: it only calls apt-get when something is
# missing, runs `apt-get update` once, and works as root or via sudo.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libgl-dev
  libqt6svg6 # run time: the SVG plugins that draw the app's icon (resources/icons)
  libboost-dev libssl-dev
  libcurl4-openssl-dev # webhooks and SMTP email (notifications, deploy tasks)
  libsystemd-dev # failure notices in the system journal (sd_journal_sendv)
  libldns-dev # RFC 2136 dynamic DNS updates with TSIG (dns-01), instead of hand-built packets
  lexicon # about 70 more dns-01 providers (lexicon:<name>), run by the service; its tests need it
  # tests
  catch2 sqlite3 xvfb xauth
  dbus-daemon # a private session bus for the desktop-notification tests (tests/gui)
  openssl # an independent parser for the CSRs, certificates and PKCS#12 files we write
  pebble  # Let's Encrypt's test CA, the ACME peer of the end-to-end tests
  bind9 bind9-utils # an authoritative DNS server with a TSIG-updatable zone, for dns-01
  pdns-server pdns-backend-sqlite3 # PowerDNS with its HTTP API, for the PowerDNS dns-01 provider
  python3 # /usr/bin/python3 runs the DNS API stand-ins (tests/standins)
  python3-aiosmtpd # an SMTP server with STARTTLS and AUTH that receives notification emails
  nginx-light # a web server for webroot challenges and reload tasks (and the benchmarks' yardstick)
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
    lego # the ACME client the issuance benchmark compares against (with certbot, installed above)
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
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
