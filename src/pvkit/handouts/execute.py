"""Executing workbooks with papermill on kernels started ahead of need.

Kernel start-up and the kernel's own imports are most of the cost of running
a small notebook.  :class:`WarmKernels` starts the next kernel, and imports
pvkit's workbook API and widgets in it, while the current notebook runs.  Each
kernel serves exactly one notebook and is then shut down, so nothing one
cohort's execution leaves in a kernel can reach another cohort's handout.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Optional

__all__ = ["WarmKernels", "execute"]

#: Imported in each kernel before it is handed to papermill.
WARM_UP = (
    "import pvkit, pvkit.live, pvkit.widgets.html\n"
    "from pvkit.widgets import KIND_MODULES\n"
    "import importlib\n"
    "for _m in KIND_MODULES.values(): importlib.import_module(_m)\n"
    "del _m, importlib, KIND_MODULES\n"
)


class _Warming:
    """One kernel being started and warmed up in a background thread."""

    def __init__(self, kernel_name: str, cwd: Path, env: dict[str, str], sockets: Path) -> None:
        from jupyter_client.manager import KernelManager

        # IPC sockets in a private folder: loopback-free, and no TCP warning on the kernel's stderr.
        self.km = KernelManager(kernel_name=kernel_name, transport="ipc", ip=str(sockets / "kernel"))
        self.error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._start, args=(cwd, env), daemon=True)
        self._thread.start()

    def _start(self, cwd: Path, env: dict[str, str]) -> None:
        try:
            self.km.start_kernel(cwd=str(cwd), env=env)
            client = self.km.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                reply = client.execute_interactive(WARM_UP, silent=True, store_history=False, timeout=120)
                if reply["content"].get("status") != "ok":
                    raise RuntimeError(f"warm-up failed in the kernel: {reply['content'].get('evalue')}")
            finally:
                client.stop_channels()
        except BaseException as exc:  # noqa: BLE001 - reported when the kernel is taken
            self.error = exc

    def ready(self) -> Any:
        """Wait for the warm-up; return the kernel manager or raise what went wrong."""
        self._thread.join()
        if self.error is not None:
            shutdown(self.km)
            raise RuntimeError(f"could not start a Python kernel: {self.error}") from self.error
        return self.km


def shutdown(km: Any) -> None:
    """Stop a kernel we started, whatever state it is in."""
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - best effort on the way out
        pass


class WarmKernels:
    """A queue of one warm kernel: ``take()`` returns it and starts warming the next."""

    def __init__(self, cwd: Path, env: Optional[dict[str, str]] = None, kernel_name: str = "python3") -> None:
        self.cwd = Path(cwd)
        self.env = {**os.environ, **(env or {})}
        self.kernel_name = kernel_name
        self._sockets = tempfile.TemporaryDirectory(prefix="pvkit-kernels-")
        self._count = 0
        self._next: Optional[_Warming] = self._start()

    def _start(self) -> _Warming:
        self._count += 1
        folder = Path(self._sockets.name) / str(self._count)
        folder.mkdir()
        return _Warming(self.kernel_name, self.cwd, self.env, folder)

    def take(self, prepare_next: bool = True) -> Any:
        """A started, warmed-up kernel manager for one notebook; the caller shuts it down."""
        current = self._next or self._start()
        self._next = self._start() if prepare_next else None
        return current.ready()

    def close(self) -> None:
        """Shut down the kernel waiting to be used, if any."""
        if self._next is not None:
            try:
                shutdown(self._next.ready())
            except RuntimeError:
                pass
            self._next = None
        self._sockets.cleanup()


def execute(nb: Any, output_path: Path, parameters: dict[str, Any], km: Any, timeout: int = 300) -> Any:
    """Run ``nb`` with papermill on kernel ``km``; return the executed notebook.

    The notebook is written to ``output_path`` once, at the end: saving after
    every cell (papermill's default) made a 100-cell workbook run five times
    slower.  A failing cell still leaves the executed notebook there, with
    papermill's error banner, for audit.
    Raises ``papermill.PapermillExecutionError`` when a cell fails.
    """
    import papermill

    return papermill.execute_notebook(
        nb, str(output_path), parameters=parameters, km=km, kernel_name=km.kernel_name,
        progress_bar=False, request_save_on_cell_execute=False, execution_timeout=timeout,
    )
