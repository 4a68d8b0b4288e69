"""``pvkit present``: a workbook served by Voila for a projector or a learner's screen.

Voila runs the notebook and shows its outputs, never its code, with live
widgets.  The learner view is the released learner notebook (no facilitator
cells, no facilitator notes in its content); the facilitator view is the
whole workbook.  The server listens on 127.0.0.1 only, with a token.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pvkit.atomic import write_atomic
from pvkit.content import bundle
from pvkit.content.models import Kit
from pvkit.errors import UsageError

__all__ = ["LARGE_TEXT_STYLE", "Presentation", "prepare", "serve"]

#: Larger text and controls for projectors: a Markdown cell Voila renders before everything else.
LARGE_TEXT_STYLE = """<style>
body, .jp-RenderedHTMLCommon, .widget-label, .widget-html-content, .jupyter-button, .widget-radio-box label,
.widget-checkbox label, select, textarea { font-size: 150% !important; line-height: 1.4 !important; }
.jupyter-button { min-height: 2.2em; }
</style>"""


@dataclass(frozen=True)
class Presentation:
    """A notebook ready for Voila, in its own folder, and the URL it will have."""

    notebook: Path
    port: int
    token: str

    @property
    def url(self) -> str:
        """Where to open it (loopback only)."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"


def prepare(root: Path, kit: Kit, workshop: str, audience: str, large_text: bool, folder: Path) -> Path:
    """Write the notebook to present, and its content bundle, into ``folder``."""
    import nbformat

    from pvkit.release import learner_kit, learner_notebook

    try:
        kit.workshop(workshop)
    except KeyError:
        ids = ", ".join(w.id for w in kit.workshops)
        raise UsageError(f"there is no workshop '{workshop}'\n  How to fix: use one of: {ids}") from None
    source = nbformat.read(Path(root) / "workbooks" / f"{workshop}.ipynb", as_version=4)
    if audience == "learner":
        nb, content = learner_notebook(source), learner_kit(kit)
    else:
        nb, content = source, kit
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace('audience = "learner"', 'audience = "facilitator"')
    if large_text:
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(LARGE_TEXT_STYLE, metadata={"pvkit": {"module": ""}}))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{workshop}.ipynb"
    write_atomic(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
    write_atomic(folder / "pvkit-content.json", bundle.dumps(content).encode("utf-8"))
    return target


def serve(notebook: Path, port: int = 8866, token: str | None = None) -> tuple[Presentation, subprocess.Popen]:
    """Start Voila on 127.0.0.1 for ``notebook``; return the presentation and the server process."""
    if shutil.which("voila") is None and _voila_missing():
        raise UsageError("pvkit present needs Voila\n  How to fix: pip install 'pvkit[present]'")
    presentation = Presentation(notebook, port, token or secrets.token_urlsafe(24))
    # pvkit's Voila template (share/voila/templates/pvkit) is found through JUPYTER_PATH.
    share = Path(__file__).parent / "share"
    env = {**os.environ, "JUPYTER_PATH": os.pathsep.join(filter(None, [str(share), os.environ.get("JUPYTER_PATH")]))}
    args = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser",
        "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0",
        f"--Voila.token={presentation.token}", "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False", "--template=pvkit",
    ]
    process = subprocess.Popen(args, cwd=notebook.parent, env=env)
    return presentation, process


def _voila_missing() -> bool:
    import importlib.util

    return importlib.util.find_spec("voila") is None
