"""A gold round through a real Label Studio server on localhost: tasks in, annotations made, exports back.

Needs Label Studio in its own venv (``make install-label-studio``); skipped without it, unless
``LABEL_STUDIO_REQUIRED`` is set (``.ci/run`` sets it, so CI never skips it silently).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from test_label_studio import DOCUMENTS  # the same hand-written documents

from analysis import paths
from analysis.__main__ import main as cli

pytestmark = [pytest.mark.slow, pytest.mark.network]

TOKEN = "0123456789abcdef0123456789abcdef01234567"  # a throwaway server's legacy API token


def _binary() -> str | None:
    local = paths.ROOT / ".venv-label-studio" / "bin" / "label-studio"
    found = os.environ.get("LABEL_STUDIO_BIN") or (str(local) if local.is_file() else shutil.which("label-studio"))
    if found is None and os.environ.get("LABEL_STUDIO_REQUIRED"):
        pytest.fail("Label Studio is not installed: run `make install-label-studio`")
    if found is None:
        pytest.skip("Label Studio is not installed (make install-label-studio)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Label Studio server on a free localhost port, with one user and a legacy API token."""
    binary = _binary()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path_factory.mktemp("label_studio")
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",  # off by default since 1.20: the API reads the token
    }
    args = ["start", "--no-browser", "--port", str(port), "--username", "ann@example.org"]
    args += ["--password", "annotator-pass-1", "--user-token", TOKEN]
    log = (data / "server.log").open("w")
    process = subprocess.Popen([binary, *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not start: {(data / 'server.log').read_text()[-2000:]}")
            time.sleep(2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _call(url: str, method: str, path: str, body=None):
    headers = {"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def _project(url: str, folder: Path, title: str, tasks_file: str, labels: dict[str, list[str]], out: Path) -> str:
    """Create a project from the round's config, import its tasks, annotate them, export it as JSON."""
    project = _call(url, "POST", "/api/projects", {"title": title, "label_config": (folder / "config.xml").read_text()})
    _call(url, "POST", f"/api/projects/{project['id']}/import", json.loads((folder / tasks_file).read_text()))
    tasks = _call(url, "GET", f"/api/tasks?project={project['id']}&page_size=1000")["tasks"]
    for task in tasks:
        chosen = labels[task["data"]["doc_id"]]
        result = [{"from_name": "event_types", "to_name": "text", "type": "choices", "value": {"choices": chosen}}]
        _call(url, "POST", f"/api/tasks/{task['id']}/annotations", {"result": result if chosen else []})
    exported = _call(url, "GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true")
    out.write_text(json.dumps(exported))
    return str(out)


def test_a_round_trips_through_label_studio(server, tmp_path, monkeypatch):
    documents = tmp_path / "documents.parquet"
    DOCUMENTS.to_parquet(documents)
    monkeypatch.setattr(paths, "DOCUMENTS", documents)
    monkeypatch.setattr(paths, "GOLD", tmp_path / "no_gold.parquet")
    folder, output = tmp_path / "round", tmp_path / "labels_own.csv"
    assert cli(["annotate", "export", str(folder), "--collection", "own", "--n", "4"]) == 0
    ids = list(pd.read_csv(folder / "sample.csv")["doc_id"])
    # annotator b reads the second document differently, and leaves the last with no type
    labels_a = {i: ["shelling"] for i in ids} | {ids[1]: ["civilian_harm"], ids[3]: []}
    labels_b = dict(labels_a) | {ids[1]: ["clash", "civilian_harm"]}
    a = _project(server, folder, "round: annotator a", "tasks_a.json", labels_a, tmp_path / "a.json")
    b = _project(server, folder, "round: annotator b", "tasks_b.json", labels_b, tmp_path / "b.json")
    # an export of annotator b's project given as annotator a's is refused
    assert cli(["annotate", "import", str(folder), "--a", b, "--b", b, "-o", str(output)]) == 1
    assert cli(["annotate", "import", str(folder), "--a", a, "--b", b, "-o", str(output)]) == 1  # a dispute
    assert not output.exists() and list(pd.read_csv(folder / "disputes.csv")["doc_id"]) == [ids[1]]
    adjudication = {ids[1]: ["civilian_harm"]}
    adj = _project(server, folder, "round: adjudication", "tasks_adjudicated.json", adjudication, tmp_path / "adj.json")
    assert cli(["annotate", "import", str(folder), "--a", a, "--b", b, "--adjudicated", adj, "-o", str(output)]) == 0
    rows = pd.read_csv(output, dtype=str, keep_default_na=False)
    final = rows[rows["pass"] == "adjudicated"].set_index("doc_id")["labels"]
    assert final.to_dict() == {i: ";".join(v) for i, v in (labels_a | adjudication).items()}
    assert rows.loc[rows["pass"] == "b", "labels"].tolist()[1] == "clash;civilian_harm"  # codebook order
