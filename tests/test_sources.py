"""The acquire path for real: a local HTTP server on 127.0.0.1 and a local mirror."""

import hashlib
import http.server
import socket
import threading
from pathlib import Path

import pytest

from analysis.corpus import sources
from analysis.params import SourceSpec

pytestmark = pytest.mark.network

PAYLOAD = b"unit_id,text\n1,Rebels shelled the city\n" * 200
GOOD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server API)
        n = self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/good.csv" or (self.path == "/flaky.csv" and n > 1):
            body = PAYLOAD
        elif self.path == "/corrupt.csv":
            body = PAYLOAD[:-10] + b"tampered!\n"  # same length, other bytes
        elif self.path in ("/drop.csv", "/flaky.csv"):
            # promise the whole file, send half, then close the connection
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD[: len(PAYLOAD) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _spec(url: str, sha: str = GOOD_SHA) -> SourceSpec:
    return SourceSpec("corpus.csv", sha, url=url, mirror_path="corpus/corpus.csv")


def _acquire(spec, dest, mirror=None):
    return sources.acquire(spec, dest, mirror=mirror, retries=2, timeout_s=5, backoff_s=0.01)


def test_download_verifies_and_renames(server, tmp_path):
    out = _acquire(_spec(f"{server}/good.csv"), tmp_path)
    assert out.read_bytes() == PAYLOAD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.csv"]  # no temporary left


def test_corrupted_download_names_both_hashes_and_leaves_nothing(server, tmp_path):
    actual = hashlib.sha256(PAYLOAD[:-10] + b"tampered!\n").hexdigest()
    with pytest.raises(sources.AcquireError) as exc:
        _acquire(_spec(f"{server}/corrupt.csv"), tmp_path)
    message = str(exc.value)
    assert "corpus.csv: sha256 mismatch" in message and GOOD_SHA in message and actual in message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_dropped_connection_fails_after_retries_and_leaves_nothing(server, tmp_path):
    with pytest.raises(
        sources.AcquireError, match=r"corpus.csv: download from .*/drop.csv failed after 2 attempt\(s\)"
    ):
        _acquire(_spec(f"{server}/drop.csv"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_dropped_connection_is_retried(server, tmp_path):
    # the first request is cut off, the second succeeds
    out = _acquire(_spec(f"{server}/flaky.csv"), tmp_path)
    assert out.read_bytes() == PAYLOAD


def test_missing_url_is_a_clear_error(server, tmp_path):
    with pytest.raises(sources.AcquireError, match="HTTP 404 Not Found"):
        _acquire(_spec(f"{server}/missing.csv"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def _mirror(tmp_path: Path, payload: bytes | None) -> Path:
    mirror = tmp_path / "mirror"
    (mirror / "corpus").mkdir(parents=True)
    if payload is not None:
        (mirror / "corpus" / "corpus.csv").write_bytes(payload)
    return mirror


def test_mirror_copy_is_verified(tmp_path):
    dest = tmp_path / "raw"
    out = _acquire(_spec("https://example.invalid/x.csv"), dest, mirror=_mirror(tmp_path, PAYLOAD))
    assert out.read_bytes() == PAYLOAD


def test_missing_mirror_file_is_a_clear_error(tmp_path):
    dest = tmp_path / "raw"
    with pytest.raises(sources.AcquireError, match=r"corpus.csv: not found in mirror at .*corpus/corpus.csv"):
        _acquire(_spec("https://example.invalid/x.csv"), dest, mirror=_mirror(tmp_path, None))
    assert not dest.exists() or list(dest.iterdir()) == []


def test_mirror_checksum_mismatch_names_both_hashes(tmp_path):
    dest = tmp_path / "raw"
    bad = PAYLOAD + b"x"
    with pytest.raises(sources.AcquireError) as exc:
        _acquire(_spec("https://example.invalid/x.csv"), dest, mirror=_mirror(tmp_path, bad))
    assert GOOD_SHA in str(exc.value) and hashlib.sha256(bad).hexdigest() in str(exc.value)
    assert list(dest.iterdir()) == []


def test_mirror_env_must_be_a_directory(tmp_path, monkeypatch):
    monkeypatch.setenv(sources.MIRROR_ENV, str(tmp_path / "absent"))
    with pytest.raises(sources.AcquireError, match="not a directory"):
        sources.mirror_dir()
