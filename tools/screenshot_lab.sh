#!/usr/bin/env bash
# Screenshot of a notebook as `make lab` opens it, into docs/screenshots/jupyterlab_notebook.png:
# starts JupyterLab on 127.0.0.1 only (no token, a free port, the repository's settings in
# .jupyter/ as `make lab` uses them, no user settings), opens notebooks/02_model_diagnostics.py
# in headless Chromium, waits for the notebook and its kernel, checks that it opened as a
# notebook and is not marked changed, saves the screenshot and stops the server. Every step is
# bounded in time (about two minutes in all). `make screenshot-lab` runs it.
# Set CHROMIUM to use another binary; NOTEBOOK (a file in notebooks/) and OUT to change the
# page and the file; WINDOW_SIZE (default 1400,900) to change the frame.
set -euo pipefail
cd "$(dirname "$0")/.."

notebook="${NOTEBOOK:-02_model_diagnostics.py}"
out="${OUT:-docs/screenshots/jupyterlab_notebook.png}"
size="${WINDOW_SIZE:-1400,900}"
python=.venv/bin/python

source tools/chromium.sh screenshot_lab
if [[ ! -x .venv/bin/jupyter ]]; then
  echo "screenshot_lab: .venv/bin/jupyter is missing: run 'make install' first" >&2
  exit 1
fi
if [[ ! -f "notebooks/$notebook" ]]; then
  echo "screenshot_lab: notebooks/$notebook does not exist" >&2
  exit 1
fi

tmp=$(mktemp -d)
lab_pid=""
stop_lab() {
  if [[ -n "$lab_pid" ]] && kill -0 "$lab_pid" 2>/dev/null; then
    kill -TERM "$lab_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$lab_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$lab_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap stop_lab EXIT

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# No user settings or user config: only the repository's .jupyter/ (as in `make lab`), and the
# "get notified about Jupyter news?" prompt answered, so that it does not cover the page.
mkdir -p "$tmp/settings/@jupyterlab/apputils-extension" "$tmp/workspaces" "$tmp/config" "$tmp/profile"
echo '{"fetchNews": "false"}' >"$tmp/settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
root_flag=()
[[ "$(id -u)" == 0 ]] && root_flag=(--allow-root)

JUPYTER_CONFIG_DIR="$tmp/config" \
  JUPYTER_CONFIG_PATH="$PWD/.jupyter" \
  JUPYTERLAB_SETTINGS_DIR="$tmp/settings" \
  JUPYTERLAB_WORKSPACES_DIR="$tmp/workspaces" \
  PATH="$PWD/.venv/bin:$PATH" \
  timeout 300 .venv/bin/jupyter lab --no-browser --ip=127.0.0.1 --port="$port" \
  --ServerApp.token='' --ServerApp.password='' "${root_flag[@]}" notebooks/ >"$tmp/lab.log" 2>&1 &
lab_pid=$!

# Wait for the server, open the notebook, wait for its cells and an idle kernel, check the tab
# (no unsaved mark) and capture the page through the DevTools protocol.
mkdir -p "$(dirname "$out")"
if ! timeout 150 "$python" - "$browser" "$port" "$notebook" "$out" "$size" "$tmp/profile" <<'EOF'; then
import base64, json, subprocess, sys, time, urllib.request

import websocket  # websocket-client, a dependency of jupyter_server

browser, port, notebook, out, size, profile = sys.argv[1:]
lab = f"http://127.0.0.1:{port}"


def wait(what, check, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            value = check()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.25)
    raise SystemExit(f"screenshot_lab: timed out waiting for {what}")


wait("JupyterLab to start", lambda: urllib.request.urlopen(f"{lab}/api/status", timeout=2).status == 200, 60)
chrome = subprocess.Popen(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
     "--remote-debugging-port=0", f"--user-data-dir={profile}", f"--window-size={size}", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
try:
    devtools = wait("Chromium's DevTools port", lambda: open(f"{profile}/DevToolsActivePort").read().split()[0], 30)
    pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json"))
    ws = websocket.create_connection(next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"],
                                     suppress_origin=True, timeout=30)
    calls = iter(range(1, 10**6))

    def call(method, **params):
        n = next(calls)
        ws.send(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            reply = json.loads(ws.recv())
            if reply.get("id") == n:
                return reply.get("result", {})

    def page_state():
        state = """(() => {
          const tab = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');
          const kernel = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
          return {tab: tab ? tab.innerText.trim() : null, dirty: tab ? tab.classList.contains('jp-mod-dirty') : null,
                  cells: document.querySelectorAll('.jp-NotebookPanel .jp-Cell').length,
                  editor: document.querySelectorAll('.jp-FileEditor').length,
                  kernel: kernel ? kernel.getAttribute('data-status') : null};
        })()"""
        return call("Runtime.evaluate", expression=state, returnByValue=True)["result"]["value"]

    width, height = (int(v) for v in size.split(","))
    call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
    call("Page.navigate", url=f"{lab}/lab/tree/{notebook}")
    wait("the notebook's cells and an idle kernel",
         lambda: (s := page_state())["editor"] or (s["cells"] and s["kernel"] == "idle"), 90)
    time.sleep(3)  # the kernel's language_info has arrived; give a late change time to show
    state = page_state()
    shot = base64.b64decode(call("Page.captureScreenshot", format="png")["data"])
    with open(out, "wb") as fh:
        fh.write(shot)
    if state["editor"] or not state["cells"]:
        raise SystemExit(f"screenshot_lab: {notebook} opened in the text editor, not as a notebook (see {out})")
    if state["dirty"]:
        raise SystemExit(f"screenshot_lab: {notebook} is marked changed right after opening (see {out})")
    print(f"wrote {out} ({size}): {state['tab']} as a notebook, {state['cells']} cells, kernel {state['kernel']}, "
          "not marked changed")
finally:
    chrome.terminate()
    try:
        chrome.wait(10)
    except subprocess.TimeoutExpired:
        chrome.kill()
EOF
  echo "screenshot_lab: failed; JupyterLab's log follows" >&2
  tail -n 20 "$tmp/lab.log" >&2
  exit 1
fi
