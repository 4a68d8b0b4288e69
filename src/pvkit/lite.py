"""An offline JupyterLite site of the learner workbooks: ``pvkit lite``.

The site is a plain folder of static files.  A learner opens it from any static web server
(an intranet share, GitHub Pages, a USB stick served locally) and the workbooks run in the
browser on the Pyodide kernel.  Nothing is loaded from another host:

- the JupyterLab front end comes from jupyterlite-core;
- the Pyodide runtime (npm package ``pyodide@PYODIDE_VERSION``) is served from
  ``static/pyodide/``, with the pure wheels the kernel loads at start (micropip, ipython,
  jedi and their dependencies, exactly the versions in ``pyodide-lock.json``) beside the lock,
  whose ``sha256`` entries are rewritten to the local files;
- pvkit's own wheel (its declared dependencies removed: the learner runtime needs only
  ipywidgets and the standard library), ipywidgets, comm and jupyterlab_widgets are in ``pypi/``
  for piplite, with the PyPI fallback disabled;
- all of those, and the kernel's own packages (piplite, the ipykernel shim, pyodide-kernel), are
  also listed in the lock and loaded while Pyodide boots, in one parallel batch (``PRELOAD``), so
  ``import pvkit`` works in the first cell with no install step.

Downloads (npm and PyPI) are cached in ``~/.cache/pvkit/lite`` so repeated builds work offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pvkit.errors import PvkitError, UsageError

__all__ = [
    "KERNEL_PACKAGES",
    "LiteSite",
    "PRELOAD",
    "PYODIDE_VERSION",
    "build_lite",
    "default_cache_dir",
    "lite_notebook",
    "lite_summary",
]

#: The Pyodide release jupyterlite-pyodide-kernel 0.8.6 expects.
PYODIDE_VERSION = "314.0.6"
#: What the kernel loads from ``pyodide-lock.json`` at start (with their dependencies).
KERNEL_PACKAGES = ("micropip", "ipython", "jedi")
#: Wheels served by piplite, besides pvkit's own (pinned to the versions installed here).
RUNTIME_PACKAGES = ("ipywidgets", "comm", "jupyterlab_widgets")
#: Loaded while Pyodide boots (one parallel batch): the kernel's own packages and the learner runtime.
PRELOAD = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython", "ipywidgets", "pvkit")
#: The Pyodide kernel's kernelspec, so JupyterLite starts it without asking.
LITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
#: Runtime files of the npm package (no source maps, type stubs or demo pages).
_PYODIDE_FILES = ("pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm",
                  "python_stdlib.zip", "pyodide-lock.json", "package.json")
_PIP_WASM = ("--no-deps", "--only-binary=:all:", "--python-version", "3.14", "--implementation", "py",
             "--abi", "none", "--platform", "any")
_KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: A file in every site pvkit builds: only such a folder (or an empty one) is replaced by a new build.
SITE_MARKER = ".pvkit-lite"


class LiteBuildError(PvkitError):
    """A step of the JupyterLite build failed (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class LiteSite:
    """What ``pvkit lite`` built."""

    folder: Path
    notebooks: tuple[str, ...]
    size_bytes: int
    seconds: float
    note: str = ""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pvkit/lite`` (default ``~/.cache/pvkit/lite``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pvkit" / "lite"


def lite_notebook(nb: Any) -> Any:
    """The site's copy of a learner notebook: the same cells, with the Pyodide kernelspec."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = dict(LITE_KERNELSPEC)
    nb.metadata.setdefault("pvkit", {})["lite"] = True
    return nb


def build_lite(root: Path, kit: Any, out_dir: Path, cache_dir: Optional[Path] = None) -> LiteSite:
    """Build the JupyterLite site of the learner workbooks of ``root`` into ``out_dir``.

    ``out_dir`` may be new, empty, or a site an earlier build made (it is then replaced whole,
    only once the new site is complete); anything else is refused.
    """
    start = time.perf_counter()
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    out_dir = Path(out_dir).resolve()
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and swapped in whole: a failed build leaves the old site as it was.
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        site = staging / "site"
        with tempfile.TemporaryDirectory(prefix="pvkit-lite-") as tmp:
            names = _build(Path(root), kit, Path(tmp), cache, site)
        _preload(site)
        note = _precompile(site, cache)
        offsite = absolute_urls(site)
        if offsite:
            raise LiteBuildError("the site's configuration names other hosts: " + ", ".join(offsite)
                                 + "\n  How to fix: report this; the site would not work offline")
        (site / SITE_MARKER).write_text(f"Built by pvkit lite; 'pvkit lite -o {out_dir.name}' replaces this folder.\n",
                                        encoding="utf-8")
        if out_dir.exists():
            site.rename(staging / "site-new")
            out_dir.rename(staging / "site")  # the old site, removed with the staging folder
            (staging / "site-new").rename(out_dir)
        else:
            site.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    return LiteSite(out_dir, tuple(names), size, time.perf_counter() - start, note)


def _build(root: Path, kit: Any, tmp: Path, cache: Path, out_dir: Path) -> list[str]:
    """Release, fetch and lay out the site's sources in ``tmp``; ``jupyter lite build`` into ``out_dir``."""
    import nbformat

    from pvkit.release import release

    lite = tmp / "lite"
    files = lite / "files"
    result = release(root, kit, files)
    names = []
    for path in result.notebooks:
        nb = lite_notebook(nbformat.read(path, as_version=4))
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        names.append(path.name)
    _pyodide(cache, lite / "static" / "pyodide")
    pypi = lite / "pypi"
    pypi.mkdir(parents=True)
    for wheel in _runtime_wheels(cache):
        shutil.copy2(wheel, pypi / wheel.name)
    _pvkit_wheel(tmp / "pvkit-wheel", pypi)
    (lite / "jupyter-lite.json").write_text(json.dumps(_LITE_CONFIG, indent=2), encoding="utf-8")
    (lite / "overrides.json").write_text(json.dumps(_SETTINGS, indent=2), encoding="utf-8")
    _run([sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(lite),
          "--contents", str(files), "--output-dir", str(out_dir), "--no-sourcemaps",
          "--no-unused-shared-packages", "--apps", "lab"],
         cwd=lite, what="jupyter lite build",
         fix="install the 'lite' extra: pip install -e '.[lite]' (jupyterlite-core, "
             "jupyterlite-pyodide-kernel and jupyter-server)")
    return names


def _check_replaceable(out_dir: Path) -> None:
    """Refuse to replace anything but an empty folder or a site an earlier ``pvkit lite`` built."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise UsageError(f"{out_dir} is a file, not a folder\n  How to fix: choose a folder for the site with -o")
    ours = (out_dir / SITE_MARKER).is_file() or (  # or built before the marker existed
        (out_dir / "jupyter-lite.json").is_file() and (out_dir / "files" / "pvkit-content.json").is_file())
    if any(out_dir.iterdir()) and not ours:
        raise UsageError(f"{out_dir} is not empty and is not a site built by pvkit lite; pvkit replaces only "
                         f"its own sites, so nothing of yours is deleted\n"
                         f"  How to fix: choose a new or empty folder with -o (for example -o lite)")


def _preload(site: Path) -> None:
    """Make the kernel load its own packages and the learner runtime as it boots, in one batch.

    Left to itself the Pyodide kernel installs piplite, then ipykernel, comm, pyodide-kernel,
    jedi and ipython one after another, each through its own micropip resolution; the notebook's
    install cell then resolves pvkit and ipywidgets.  Listed in ``pyodide-lock.json`` and in the
    kernel's ``loadPyodideOptions.packages``, they are all fetched together while Pyodide starts,
    and the kernel skips its own installs of the ones listed.
    """
    target = site / "static" / "pyodide"
    lock_path = target / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    packages = lock["packages"]
    kernel_wheels = site / "extensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static" / "pypi"
    wheels: dict[str, Path] = {}
    for wheel in sorted((*kernel_wheels.glob("*.whl"), *(site / "pypi").glob("*.whl")), key=_wheel_version):
        wheels[_norm(_wheel_name(wheel))] = wheel  # the newest of each (widgetsnbextension 4.0, not 3.6)
    missing = [name for name in PRELOAD if name not in packages and name not in wheels]
    if missing:
        raise LiteBuildError(f"the site has no wheel for {', '.join(missing)} to load at kernel start\n"
                             "  How to fix: reinstall jupyterlite-pyodide-kernel (pip install -e '.[lite]')")
    for name, wheel in sorted(wheels.items()):
        if name in packages:
            continue
        meta = _wheel_metadata(wheel)
        shutil.copy2(wheel, target / wheel.name)
        packages[name] = {
            "name": name, "version": meta["version"], "file_name": wheel.name, "install_dir": "site",
            "package_type": "package", "imports": meta["imports"], "unvendored_tests": False,
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "depends": sorted(d for d in meta["requires"] if d in packages or d in wheels),
        }
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    config_path = site / "jupyter-lite.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"].setdefault("litePluginSettings", {}).setdefault(_KERNEL_PLUGIN, {})
    kernel.setdefault("loadPyodideOptions", {})["packages"] = list(PRELOAD)
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")


def _precompile(site: Path, cache: Path) -> str:
    """Serve the kernel's wheels with their bytecode; return a note for the summary ("" when done).

    Without it the browser compiles IPython and its dependencies from source on every page load
    (about 4 s of IPython's import, in Node, against 2 s with bytecode).  The wheels are compiled
    once, by the site's own Pyodide under Node, and kept in the cache by the source wheel's hash.
    pvkit's wheel, new with every build and quick to import, is served as built.
    """
    node = shutil.which("node")
    if node is None:
        return ("note: node was not found, so the kernel's wheels are served without bytecode "
                "(the site works; each page load takes a few seconds longer). Install nodejs and build again.")
    target = site / "static" / "pyodide"
    lock_path = target / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    entries = [e for e in lock["packages"].values() if e["name"] != "pvkit" and (target / e["file_name"]).is_file()]
    compiled = cache / f"bytecode-{PYODIDE_VERSION}"
    # The compiled copy of each wheel, kept under the source wheel's hash.
    cached = {e["file_name"]: compiled / hashlib.sha256((target / e["file_name"]).read_bytes()).hexdigest()
              / e["file_name"] for e in entries}
    missing = [name for name, path in cached.items() if not path.is_file()]
    if missing:
        with tempfile.TemporaryDirectory(prefix="pvkit-bytecode-") as tmp:
            sources, built = Path(tmp) / "in", Path(tmp) / "out"
            sources.mkdir()
            built.mkdir()
            for name in missing:
                shutil.copy2(target / name, sources / name)
            script = Path(__file__).parent / "share" / "lite" / "compile-wheels.mjs"
            _run([node, str(script), str(target), str(sources), str(built)], cwd=Path(tmp),
                 what="compiling the kernel's wheels with Pyodide under node",
                 fix="check that nodejs works (node --version); it needs version 18 or later")
            for name in missing:
                cached[name].parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(built / name, cached[name])
    for entry in entries:
        source = cached[entry["file_name"]]
        shutil.copy2(source, target / entry["file_name"])
        entry["sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    return ""


def _wheel_metadata(wheel: Path) -> dict[str, Any]:
    """Version, unconditional requirements (normalised names) and top-level imports of a wheel."""
    from email.parser import Parser

    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(zf.read(info).decode("utf-8"))
    requires = {_norm(re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0])
                for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r}
    imports = sorted({n.split("/")[0].removesuffix(".py") for n in names
                      if not n.split("/")[0].endswith((".dist-info", ".data")) and (n.endswith(".py") or "/" in n)})
    return {"version": meta["Version"], "requires": requires, "imports": imports}


def absolute_urls(site: Path) -> list[str]:
    """Every absolute ``http(s)://`` URL in the site's ``jupyter-lite.json`` files."""
    found = []
    for path in sorted(Path(site).rglob("jupyter-lite.json")):
        for url in re.findall(r"https?://[^\s\"']+", path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(site)}: {url}")
    return found


def lite_summary(site: LiteSite) -> str:
    """What the command line prints after a build."""
    first = "intro.ipynb" if "intro.ipynb" in site.notebooks or not site.notebooks else site.notebooks[0]
    return "\n".join([
        f"wrote {site.folder} ({site.size_bytes / 1e6:.1f} MB, {len(site.notebooks)} workbooks) "
        f"in {site.seconds:.1f} s",
        *([site.note] if site.note else []),
        "serve it from any static web server, for example:",
        f"  python -m http.server -d {site.folder} --bind 127.0.0.1 8000",
        f"then open http://127.0.0.1:8000/lab/index.html?path={first}",
    ])


# --- runtime configuration of the site ------------------------------------------------------

_LITE_CONFIG = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
        "appName": "pvkit workbooks",
        "litePluginSettings": {
            _KERNEL_PLUGIN: {"disablePyPIFallback": True},
        },
        # Nothing that would look for news or updates on the internet.
        # The Voila preview needs a server; the site has none.
        "disabledExtensions": ["@jupyterlab/apputils-extension:announcements",
                               "@voila-dashboards/jupyterlab-preview"],
    },
}

_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
}


# --- downloads, cached ----------------------------------------------------------------------

def _run(args: list[str], cwd: Path, what: str, fix: str) -> str:
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    except OSError as exc:
        raise LiteBuildError(f"{what} could not start ({exc})\n  How to fix: {fix}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout)[-2000:]
        raise LiteBuildError(f"{what} failed (exit {done.returncode}):\n{tail}\n  How to fix: {fix}")
    return done.stdout


def _pyodide_tarball(cache: Path) -> Path:
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.is_file():
        npm = shutil.which("npm")
        if not npm:
            raise LiteBuildError("npm is missing (needed once, to fetch the Pyodide runtime)\n"
                                 "  How to fix: apt-get install nodejs npm")
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            _run([npm, "pack", "--silent", f"pyodide@{PYODIDE_VERSION}"], cwd=Path(tmp), what="npm pack",
                 fix="check that the npm registry is reachable")
            (Path(tmp) / tarball.name).replace(tarball)
    return tarball


def _pyodide(cache: Path, target: Path) -> None:
    """Unpack the Pyodide runtime into ``target`` with the kernel's wheels beside the lock."""
    target.mkdir(parents=True)
    with tarfile.open(_pyodide_tarball(cache)) as tar:
        for name in _PYODIDE_FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise LiteBuildError(f"package/{name} is missing from pyodide@{PYODIDE_VERSION}")
            (target / name).write_bytes(member.read())
    lock_path = target / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    packages = lock["packages"]
    names = _closure(packages, KERNEL_PACKAGES)
    wheels = _download(cache / "pyodide-wheels",
                       [f"{packages[n]['name']}=={packages[n]['version']}" for n in names])
    by_name = {_norm(_wheel_name(w)): w for w in wheels}
    for name in names:
        entry = packages[name]
        wheel = by_name[_norm(entry["name"])]
        shutil.copy2(wheel, target / wheel.name)
        entry["file_name"] = wheel.name
        entry["sha256"] = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock_path.write_text(json.dumps(lock), encoding="utf-8")


def _closure(packages: dict[str, Any], roots: tuple[str, ...]) -> list[str]:
    index = {_norm(k): k for k in packages}
    seen: list[str] = []
    todo = [index[_norm(r)] for r in roots]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        entry = packages[key]
        if not entry["file_name"].endswith("-none-any.whl"):
            raise LiteBuildError(f"{key} in pyodide-lock.json is not a pure wheel ({entry['file_name']})")
        seen.append(key)
        todo.extend(index[_norm(d)] for d in entry["depends"])
    return sorted(seen)


def _runtime_wheels(cache: Path) -> list[Path]:
    from importlib.metadata import PackageNotFoundError, version

    specs = []
    for name in RUNTIME_PACKAGES:
        try:
            specs.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            specs.append(name)
    return _download(cache / "wheels", specs)


def _download(folder: Path, specs: list[str]) -> list[Path]:
    """Pure wheels for ``specs`` (``name==version``) in ``folder``, downloading only what is missing."""
    folder.mkdir(parents=True, exist_ok=True)

    def have(spec: str) -> Optional[Path]:
        name, _, wanted = spec.partition("==")
        for wheel in folder.glob("*.whl"):
            parts = wheel.name.split("-")
            if _norm(parts[0]) == _norm(name) and (not wanted or parts[1] == wanted):
                return wheel
        return None

    missing = [s for s in specs if have(s) is None]
    if missing:
        _run([sys.executable, "-m", "pip", "download", "-q", *_PIP_WASM, "-d", str(folder), *missing],
             cwd=folder, what="pip download", fix="check that PyPI is reachable (needed once; then cached)")
    wheels = []
    for spec in specs:
        wheel = have(spec)
        if wheel is None:
            raise LiteBuildError(f"pip download gave no pure wheel for {spec}")
        wheels.append(wheel)
    return wheels


def _pvkit_wheel(tmp: Path, pypi: Path) -> Path:
    """pvkit's wheel, built from this checkout, declaring only ipywidgets as a dependency."""
    import pvkit

    source = Path(pvkit.__file__).resolve().parents[2]
    if not (source / "pyproject.toml").is_file():
        raise LiteBuildError(f"pvkit's source folder was not found above {pvkit.__file__}\n"
                             "  How to fix: install pvkit from its checkout (pip install -e .)")
    tmp.mkdir(parents=True, exist_ok=True)
    import importlib.util

    # With hatchling installed, build without an isolated environment (no download needed).
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", str(tmp), str(source)],
         cwd=tmp, what="pip wheel", fix="pip install hatchling")
    built = next(tmp.glob("pvkit-*.whl"))
    target = pypi / built.name
    _strip_requirements(built, target)
    return target


def _strip_requirements(source: Path, target: Path) -> None:
    """Copy a wheel, keeping only the ``ipywidgets`` requirement in its METADATA (and fixing RECORD)."""
    with zipfile.ZipFile(source) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    metadata = next(i.filename for i, _ in items if i.filename.endswith(".dist-info/METADATA"))
    record = next(i.filename for i, _ in items if i.filename.endswith(".dist-info/RECORD"))
    out = []
    for info, data in items:
        if info.filename == metadata:
            lines = data.decode("utf-8").split("\n")
            lines = [ln for ln in lines if not ln.startswith("Requires-Dist:") or
                     (ln.startswith("Requires-Dist: ipywidgets") and "extra ==" not in ln)]
            data = "\n".join(lines).encode("utf-8")
        out.append((info, data))
    rows = []
    for info, data in out:
        if info.filename == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        rows.append(f"{info.filename},sha256={digest},{len(data)}")
    rows.append(f"{record},,")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in out:
            zout.writestr(info, ("\n".join(rows) + "\n").encode() if info.filename == record else data)


def _wheel_name(wheel: Path) -> str:
    return wheel.name.split("-")[0]


def _wheel_version(wheel: Path) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in wheel.name.split("-")[1].split("."))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
