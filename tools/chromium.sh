# Sourced by the screenshot scripts: sets $browser to a headless-capable Chromium, or exits 1
# with one line naming the caller ($1). CHROMIUM=/path/to/chrome picks another binary.
browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then browser="$name"; break; fi
  done
fi
if [[ -z "$browser" ]] || ! command -v "$browser" >/dev/null 2>&1; then
  echo "$1: no Chromium found (install Debian's 'chromium', or set CHROMIUM=/path/to/chrome)" >&2
  exit 1
fi
