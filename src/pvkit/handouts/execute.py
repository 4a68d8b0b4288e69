"""Executing workbooks with papermill on kernels started ahead of need.

Kernel start-up and the kernel's own imports are most of the cost of running
a small notebook.  :class:`WarmKernels` starts the next kernel, and imports
pvkit's workbook API and widgets in it, while the current notebook runs.  Each
kernel serves exactly one notebook and is then shut down, so nothing one
cohort's execution leaves in a kernel can reach another cohort's handout.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Optional

__all__ = ["CellTimedOut", "KernelDied", "WarmKernels", "execute"]

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
            # papermill's client (nbclient) awaits every message read.  A blocking client would
            # block its event loop, and with it the checks for a dead kernel and the cell timeout:
            # a kernel that died or a cell that hangs would hang the build for ever.
            self.km.client_class = "jupyter_client.asynchronous.AsyncKernelClient"
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


class KernelDied(RuntimeError):
    """The kernel process ended while ``cell`` ran (killed, out of memory, or the cell ended Python)."""

    def __init__(self, cell: Any) -> None:
        super().__init__("the Python kernel died")
        self.cell = cell


class CellTimedOut(RuntimeError):
    """``cell`` ran longer than the per-cell timeout."""

    def __init__(self, cell: Any) -> None:
        super().__init__("a cell ran longer than the timeout")
        self.cell = cell


def _running_cell(nb: Any) -> Any:
    """The cell papermill started last: the one running when execution stopped, or None."""
    started = [c for c in nb.cells if c.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else None


_ENGINE = "pvkit"


@functools.cache
def _register_engine() -> None:
    """papermill's nbclient engine, raising :class:`KernelDied` and :class:`CellTimedOut` with the cell.

    nbclient's own ``DeadKernelError`` and ``CellTimeoutError`` do not say which cell ran.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.engines import NBClientEngine, papermill_engines

    class Engine(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except DeadKernelError as exc:
                raise KernelDied(_running_cell(nb_man.nb)) from exc
            except CellTimeoutError as exc:
                raise CellTimedOut(_running_cell(nb_man.nb)) from exc

    papermill_engines.register(_ENGINE, Engine)
    # pvkit reports every failure itself, naming cohort, workbook and cell; papermill's and
    # nbclient's log lines ("Kernel died while waiting for execute reply") would only repeat
    # them on stderr without saying which cohort.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)


def execute(nb: Any, output_path: Path, parameters: dict[str, Any], km: Any, timeout: int = 300) -> Any:
    """Run ``nb`` with papermill on kernel ``km``; return the executed notebook.

    The notebook is written to ``output_path`` once, at the end: saving after
    every cell (papermill's default) made a 100-cell workbook run five times
    slower.  A failing cell still leaves the executed notebook there, with
    papermill's error banner, for audit.

    Raises
    ------
    papermill.PapermillExecutionError
        A cell raised an exception.
    KernelDied
        The kernel process ended during a cell.
    CellTimedOut
        A cell ran longer than ``timeout`` seconds.
    """
    import papermill

    _register_engine()
    return papermill.execute_notebook(
        nb, str(output_path), parameters=parameters, km=km, kernel_name=km.kernel_name, engine_name=_ENGINE,
        progress_bar=False, request_save_on_cell_execute=False, execution_timeout=timeout,
    )
