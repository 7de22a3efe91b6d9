#!/usr/bin/env bash
# Takes the screenshots of the app's windows under Xvfb, for a person to look at:
#
#   tests/gui/screenshots.sh SHOTS_BINARY OUTPUT_DIR
#
# SHOTS_BINARY is build/<preset>/tests/gui/gui_screenshots (tests/gui/screenshots.cpp says how
# to add a window); OUTPUT_DIR is normally build/<preset>/screenshots. It runs every shot at
# scale 1 (light and dark palettes), then every shot again at scale 2 (file names end in @2x), to
# see that the app stays sharp and nothing is clipped on high-DPI screens. ctest runs it as gui_screenshots.
# Needs xvfb-run (Debian packages xvfb and xauth; packaging/bootstrap-debian.sh installs them).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 SHOTS_BINARY OUTPUT_DIR" >&2; exit 2; }
shots=$1
out=$2
[[ -x $shots ]] || { echo "screenshots.sh: $shots is missing: build it first" >&2; exit 1; }
command -v xvfb-run >/dev/null ||
    { echo "screenshots.sh: xvfb-run is missing: apt-get install xvfb xauth" >&2; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.png

# A real X server (not Qt's offscreen platform), 24-bit colour, 96 dpi, room for a 2x window.
xvfb() { # SCREEN_SIZE ARGS...
    local size=$1
    shift
    xvfb-run --auto-servernum --server-args="-screen 0 ${size}x24 -dpi 96 -nolisten tcp" "$@"
}
export QT_QPA_PLATFORM=xcb
export CERTKEEPER_SCREENSHOT_DIR=$out
# The sample fleet has failing items: their desktop notification must not reach a real desktop.
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/certkeeper-screenshots-have-no-session-bus

xvfb 1600x1000 "$shots"
CERTKEEPER_SCREENSHOT_SUFFIX=@2x QT_SCALE_FACTOR=2 xvfb 3000x1900 "$shots"

echo "Screenshots in $out:"
ls -l "$out"/*.png
