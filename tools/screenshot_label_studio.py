"""Screenshot of Label Studio's labelling interface on a round's task, into docs/screenshots/label_studio.png.

Starts Label Studio (``make install-label-studio``) on 127.0.0.1 with a throwaway data folder and
user, creates a project from ``python -m analysis annotate export``'s config and tasks (the
hand-written fixture corpus's documents, never the study's texts), logs in, and has headless
Chromium (Chrome DevTools protocol) open the first task and capture the page. Every step is
bounded in time. Run: ``.venv/bin/python tools/screenshot_label_studio.py`` (``make
screenshot-label-studio``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "label_studio.png"
USER, PASSWORD, TOKEN = "ann@example.org", "annotator-pass-1", "0123456789abcdef0123456789abcdef01234567"


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, seconds: float) -> None:
    """Wait until ``url`` answers 200, or exit with one line after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    sys.exit(f"screenshot_label_studio: {url} did not answer within {seconds:.0f} s")


def round_folder(tmp: Path) -> Path:
    """Export a round of the hand-written fixture corpus (tests/fixtures/own_corpus.csv) as a researcher would."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from analysis.labels import label_studio

    corpus = pd.read_csv(ROOT / "tests" / "fixtures" / "own_corpus.csv")
    documents = pd.DataFrame(
        {
            "doc_id": "own_news:" + corpus["story_id"].astype(str),
            "collection": "own_news",
            "title": corpus["headline"],
            "text": corpus["body"],
        }
    )
    sample = documents.iloc[[2]][["doc_id", "collection"]].assign(stratum="own_random")
    folder = tmp / "round"
    folder.mkdir()
    (folder / "config.xml").write_text(label_studio.labelling_config())
    (folder / "tasks_a.json").write_text(json.dumps(label_studio.tasks(sample, documents, pass_name="a")))
    return folder


async def capture(browser: str, page: str, cookies: list[dict], size: tuple[int, int]) -> bytes:
    """Open ``page`` in headless Chromium with ``cookies`` set and return its PNG screenshot."""
    port = free_port()
    profile = tempfile.mkdtemp()
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}"]
    args += [f"--remote-debugging-port={port}", f"--window-size={size[0]},{size[1]}", "about:blank"]
    chrome = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait(f"http://127.0.0.1:{port}/json/version", 30)
        target = next(t for t in requests.get(f"http://127.0.0.1:{port}/json", timeout=5).json() if t["type"] == "page")
        ws = await websocket_connect(target["webSocketDebuggerUrl"], max_message_size=64 * 2**20)
        counter = iter(range(1, 10**6))

        async def send(method: str, **params) -> dict:
            ident = next(counter)
            ws.write_message(json.dumps({"id": ident, "method": method, "params": params}))
            while True:
                message = json.loads(await asyncio.wait_for(ws.read_message(), 60))
                if message.get("id") == ident:
                    return message.get("result", {})

        await send("Network.enable")
        for cookie in cookies:
            await send("Network.setCookie", **cookie)
        await send("Page.enable")
        await send("Page.navigate", url=page)
        await asyncio.sleep(15)  # the labelling interface loads its React bundle and the task
        shot = await send("Page.captureScreenshot", format="png")
        return base64.b64decode(shot["data"])
    finally:
        os.killpg(chrome.pid, signal.SIGTERM)
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    """Start Label Studio, create a project from a round's files, log in and capture the labelling page."""
    binary = ROOT / ".venv-label-studio" / "bin" / "label-studio"
    binary = os.environ.get("LABEL_STUDIO_BIN", str(binary))
    browser = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
    if not Path(binary).is_file() or browser is None:
        sys.exit("screenshot_label_studio: needs Label Studio (make install-label-studio) and Chromium")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "LABEL_STUDIO_BASE_DATA_DIR": str(tmp / "data"),
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        }
        args = [binary, "start", "--no-browser", "--port", str(port), "--username", USER, "--password", PASSWORD]
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen(
            [*args, "--user-token", TOKEN], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait(f"{url}/health", 240)
            folder = round_folder(tmp)
            api = {"Authorization": f"Token {TOKEN}"}
            config = (folder / "config.xml").read_text()
            project = requests.post(
                f"{url}/api/projects",
                json={"title": "Round 1: annotator a", "label_config": config},
                headers=api,
                timeout=60,
            ).json()
            requests.post(
                f"{url}/api/projects/{project['id']}/import",
                json=json.loads((folder / "tasks_a.json").read_text()),
                headers=api,
                timeout=60,
            ).raise_for_status()
            task = requests.get(f"{url}/api/tasks?project={project['id']}", headers=api, timeout=60).json()["tasks"][0]
            session = requests.Session()
            session.get(f"{url}/user/login/", timeout=60)
            login = {"email": USER, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
            session.post(f"{url}/user/login/", data=login, headers={"Referer": f"{url}/user/login/"}, timeout=60)
            if "sessionid" not in session.cookies:
                sys.exit("screenshot_label_studio: logging in to Label Studio failed")
            cookies = [{"name": c.name, "value": c.value, "url": url} for c in session.cookies]
            page = f"{url}/projects/{project['id']}/data?task={task['id']}"
            png = asyncio.run(capture(browser, page, cookies, (1400, 900)))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(png)
    sys.stdout.write(f"wrote {OUT.relative_to(ROOT)} ({len(png):,} bytes)\n")


if __name__ == "__main__":
    main()
