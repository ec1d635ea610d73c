#!/usr/bin/env bash
# Screenshot of the DVC plots page (dvc_plots/index.html, written by `make plots`) into
# docs/screenshots/dvc_plots.png, with headless Chromium. `make screenshot-plots` runs both.
# Set CHROMIUM to use another binary; WINDOW_SIZE (default 1000,1250) to change the frame.
set -euo pipefail
cd "$(dirname "$0")/.."

page=dvc_plots/index.html
out=docs/screenshots/dvc_plots.png
size="${WINDOW_SIZE:-1000,1250}"

source tools/chromium.sh screenshot_plots
if [[ ! -f "$page" ]]; then
  echo "screenshot_plots: $page is missing: run 'make plots' (or 'dvc plots show') first" >&2
  exit 1
fi
if [[ ! -f node_modules/vega-embed/build/vega-embed.min.js ]]; then
  echo "screenshot_plots: node_modules has no Vega scripts: run 'npm install --no-audit --no-fund' (make plots does)" >&2
  exit 1
fi

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
mkdir -p "$(dirname "$out")"
rm -f "$out"
# --virtual-time-budget lets vega-embed finish drawing before the capture
if ! "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --force-device-scale-factor=1 --user-data-dir="$profile" \
  --window-size="$size" --virtual-time-budget=10000 \
  --screenshot="$PWD/$out" "file://$PWD/$page" >"$log" 2>&1 || [[ ! -s "$out" ]]; then
  cat "$log" >&2
  echo "screenshot_plots: $browser wrote no screenshot" >&2
  exit 1
fi
echo "wrote $out ($size) from $page"
