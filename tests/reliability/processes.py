"""Watching the processes a build starts (workers, kernels), to prove none is left behind."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import psutil


def is_kernel(proc: psutil.Process) -> bool:
    """An IPython kernel process (``python -m ipykernel_launcher ...``)."""
    try:
        return any("ipykernel_launcher" in part for part in proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def alive(proc: psutil.Process) -> bool:
    """Still running (a zombie waiting for its parent to reap it does not count)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kernels_started_by(pids: set[int]) -> list[psutil.Process]:
    """Running kernels whose launching process is one of ``pids`` (jupyter_client sets JPY_PARENT_PID).

    Kernels run in their own session, so once their parent has exited they are no one's descendants:
    this finds them all the same.
    """
    found = []
    for proc in psutil.process_iter():
        if not is_kernel(proc) or not alive(proc):
            continue
        try:
            parent = proc.environ().get("JPY_PARENT_PID")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        if parent and int(parent) in pids:
            found.append(proc)
    return found


@dataclass
class Sample:
    seconds: float
    rss: int
    processes: int
    kernels: int


@dataclass
class Watch:
    """Samples a process and all its descendants every ``interval`` seconds, in a thread.

    Keeps every process it saw (to check afterwards that none is left) and, per sample, the
    total resident memory, the number of descendant processes and of kernels among them.
    Descendants that existed before the watch started are not counted.
    """

    root: int
    interval: float = 0.5
    seen: dict[int, psutil.Process] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    commands: dict[int, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _before: set[int] = field(default_factory=set)

    def __enter__(self) -> "Watch":
        self._started = time.monotonic()
        self._before = {p.pid for p in psutil.Process(self.root).children(recursive=True)}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        try:
            top = psutil.Process(self.root)
            descendants = top.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        rss, count, kernels = 0, 0, 0
        for proc in [top, *(p for p in descendants if p.pid not in self._before)]:
            try:
                rss += proc.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if proc.pid != self.root:
                self.seen.setdefault(proc.pid, proc)
                command = " ".join(_cmdline(proc))
                if command != "?":  # the latest readable one: a new process soon execs, then ends a zombie
                    self.commands[proc.pid] = command
                count += 1
                kernels += is_kernel(proc)
        self.samples.append(Sample(time.monotonic() - self._started, rss, count, kernels))

    def kernels_seen(self) -> list[int]:
        """The pids of the kernels seen, running or not."""
        return [pid for pid, command in self.commands.items() if "ipykernel_launcher" in command]

    def left_behind(self, grace: float = 10.0) -> list[str]:
        """Processes seen (or kernels started by them, or by ``root``) still running after ``grace`` s."""
        deadline = time.monotonic() + grace
        while True:
            pids = {self.root, *self.seen}
            left = {p.pid: p for p in self.seen.values() if alive(p)}
            left.update({p.pid: p for p in kernels_started_by(pids) if p.pid not in self._before})
            left.pop(self.root, None)
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        return [f"{pid}: {' '.join(_cmdline(p))[:120]}" for pid, p in left.items()]


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return ["?"]
