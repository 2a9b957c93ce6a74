#!/bin/sh
# Render a report.html to a PNG with headless Chromium, so a person can look at it without a browser.
# usage: scripts/screenshot.sh [REPORT_HTML] [PNG]   (defaults: outputs/report.html, next to it as report.png)
# Chromium comes from the distribution's packages (apt-get install chromium); without it this says
# so and exits 0. The page needs no network; the flags keep Chromium from reaching out on its own.
set -eu
report="${1:-outputs/report.html}"
png="${2:-${report%.html}.png}"
chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
    for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
        if [ -x "$candidate" ]; then chromium="$candidate"; break; fi
    done
fi
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
    echo "screenshot skipped: no chromium found (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
    exit 0
fi
if [ ! -f "$report" ]; then
    echo "screenshot: $report not found; run 'make extract' first" >&2
    exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
case "$png" in /*) out="$png" ;; *) out="$(pwd)/$png" ;; esac
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$out" --window-size="${WINDOW_SIZE:-1400,2000}" \
    "file://$abs" 2>/dev/null
echo "wrote $png"
