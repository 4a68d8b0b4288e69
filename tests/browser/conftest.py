"""Real servers and a real browser: JupyterLab on 127.0.0.1 and Debian's Chromium via Playwright.

Servers listen on loopback only, use a token, never retry another port, and are
stopped by the PID this fixture started.  The server and the browser start once
per test module.  Chromium is /usr/bin/chromium; the tests never run
`playwright install`.  Pages abort and record every request that would leave
127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A server process started by a test, stopped by its PID."""

    def __init__(self, args: list[str], cwd: Path, url: str, log: Path, env: dict[str, str] | None = None) -> None:
        self.url = url
        self.log = log
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(args, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True)

    def wait_ready(self, probe: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"server not ready after {timeout}s:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group this PID leads: the server and its kernels
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def start_jupyterlab(python: str, folder: Path, tmp_path: Path) -> tuple[Server, str]:
    """Start JupyterLab from ``python`` on 127.0.0.1 serving ``folder``; return (server, token).

    Token auth, no port retries; the caller stops it with ``server.stop()`` (by its PID).
    """
    token = secrets.token_hex(16)
    port = free_port()
    args = [
        python, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    settings = tmp_path / "lab-settings"
    write_lab_settings(settings)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
           "JUPYTERLAB_SETTINGS_DIR": str(settings)}
    server = Server(args, folder, f"http://127.0.0.1:{port}", tmp_path / "lab.log", env=env)
    try:
        server.wait_ready(f"{server.url}/api/status?token={token}")
    except BaseException:
        server.stop()
        raise
    return server, token


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, Path]]:
    """Start JupyterLab on 127.0.0.1 serving a fresh folder, once per test module; yield (server, token, folder).

    Starting JupyterLab costs about ten seconds, so every test of a module shares one server;
    the module's tests write distinct notebook names into the folder.
    """
    tmp_path = tmp_path_factory.mktemp("jupyterlab")
    folder = tmp_path / "lab"
    folder.mkdir()
    server, token = start_jupyterlab(sys.executable, folder, tmp_path)
    try:
        yield server, token, folder
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, launched once per test module through Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/setup)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


#: The only host a page may talk to: the servers these tests start.
LOCAL_HOST = "127.0.0.1"


def new_page(browser):
    """A page in a fresh context that records page errors and keeps every request on 127.0.0.1.

    ``page.pv_errors`` collects uncaught page errors.  ``page.pv_offsite`` collects the URL of
    every request (HTTP or WebSocket) to another host; such HTTP requests are aborted, so a
    test never depends on the outside world and fails if anything tries to reach it.
    Close the page's context when done (``page.context.close()``).
    """
    from urllib.parse import urlsplit

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, reduced_motion="no-preference")
    page = context.new_page()
    page.pv_errors = []  # type: ignore[attr-defined]
    page.pv_offsite = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.pv_errors.append(str(exc)))  # type: ignore[attr-defined]

    def offsite(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.hostname != LOCAL_HOST

    def guard(route) -> None:
        url = route.request.url
        if offsite(url):
            page.pv_offsite.append(url)  # type: ignore[attr-defined]
            route.abort()
        else:
            route.continue_()

    def websocket(ws) -> None:  # WebSockets bypass routes: record them here
        if offsite(ws.url):
            page.pv_offsite.append(ws.url)  # type: ignore[attr-defined]

    context.route("**/*", guard)
    page.on("websocket", websocket)
    return page


@pytest.fixture
def browser_page(chromium):
    """A fresh page (see :func:`new_page`) for one test."""
    page = new_page(chromium)
    try:
        yield page
    finally:
        page.context.close()


def run_all_cells(page, url: str) -> None:
    """Open a notebook in JupyterLab and run all its cells from the Run menu."""
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    select = page.get_by_role("button", name="Select", exact=True)
    try:  # a kernel prompt appears on some JupyterLab versions despite the settings
        select.click(timeout=3_000)
    except Exception:  # noqa: BLE001 - no prompt is the normal case
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()


def write_lab_settings(folder: Path) -> None:
    """User settings a fresh JupyterLab needs for unattended use: no news prompt, start the kernel."""
    import json

    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True,
                                                                   "windowingMode": "none"},
    }
    for name, value in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


def copy_kit(source: Path, target: Path) -> None:
    """Copy a kit folder's content next to the notebooks a test serves."""
    shutil.copytree(source / "exercises", target / "exercises", dirs_exist_ok=True)
