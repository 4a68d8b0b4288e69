"""The JSON content bundle and the live path's imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pvkit.content import bundle
from pvkit.kitfolder import load_kit
from tests.conftest import REPO


def test_bundle_round_trip(kit_dir: Path):
    """A kit written as JSON and read back is equal to the original."""
    kit = load_kit(kit_dir)
    assert bundle.loads(bundle.dumps(kit)) == kit


def test_bundle_is_deterministic(kit_dir: Path):
    """The same content gives byte-identical JSON."""
    assert bundle.dumps(load_kit(kit_dir)) == bundle.dumps(load_kit(kit_dir))


def test_live_path_imports_no_build_tools(kit_dir: Path):
    """Reading the bundle imports neither pydantic, YAML, papermill, nbconvert nor matplotlib."""
    path = kit_dir / "bundle.json"
    path.write_text(bundle.dumps(load_kit(kit_dir)))
    code = (
        "import sys; from pvkit.content import bundle; "
        f"kit = bundle.loads(open({str(path)!r}).read()); "
        "bad = [m for m in ('pydantic', 'ruamel', 'yaml', 'papermill', 'nbconvert', 'matplotlib', 'jinja2') "
        "if m in sys.modules]; print(len(kit.exercises), bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == f"{len(load_kit(kit_dir).exercises)} []"


def test_workbook_api_imports_only_the_learner_runtime(kit_dir: Path, tmp_path: Path):
    """setup() and show() from a bundle import no build-time package (they also run under Pyodide)."""
    path = tmp_path / "pvkit-content.json"
    path.write_text(bundle.dumps(load_kit(kit_dir)))
    code = (
        "import sys, pvkit\n"
        "pvkit.setup(workshop='mini')\n"
        "for e in pvkit.current().kit.exercises: pvkit.show(e.id)\n"
        "bad = [m for m in ('pydantic', 'ruamel', 'yaml', 'papermill', 'nbconvert', 'matplotlib', 'jinja2',"
        " 'weasyprint', 'rich', 'nbformat') if m in sys.modules]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env={**__import__("os").environ, "PVKIT_ANSWERS_DIR": str(tmp_path)}).stdout
    assert out.strip().splitlines()[-1] == "[]"
