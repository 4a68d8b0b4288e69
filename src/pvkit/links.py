"""Launch links for learners: Binder, JupyterHub (nbgitpuller), and QR codes for print.

Binder opens a notebook in JupyterLab with ``urlpath=lab/tree/<path>``;
nbgitpuller clones the repository into the learner's hub server and opens the
same path.  QR codes are SVG from segno, so handouts need no image files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence
from urllib.parse import quote, urlencode

__all__ = ["LEARNER_FOLDER", "Link", "binder_url", "hub_url", "learner_links", "lite_url", "qr_svg", "write_qr_codes"]

#: Where ``pvkit release`` puts the learner notebooks in a published kit (Binder's postBuild too).
LEARNER_FOLDER = "learner"

BINDER = "https://mybinder.org/v2/gh"


@dataclass(frozen=True)
class Link:
    """A labelled URL and its QR code."""

    label: str
    url: str

    @property
    def qr_svg(self) -> str:
        """The URL as an inline SVG QR code with a title for screen readers."""
        return qr_svg(self.url, title=f"QR code: {self.label}")


def binder_url(repo: str, ref: str, path: str) -> str:
    """Binder link that opens ``path`` (relative to the repository) in JupyterLab."""
    return f"{BINDER}/{quote(repo, safe='/')}/{quote(ref, safe='')}?" + urlencode({"urlpath": f"lab/tree/{path}"})


def hub_url(hub: str, repo: str, ref: str, path: str) -> str:
    """nbgitpuller link: clone ``repo`` at ``ref`` into the hub user's server and open ``path``."""
    name = repo.rsplit("/", 1)[-1]
    query = urlencode({
        "repo": f"https://github.com/{repo}",
        "branch": ref,
        "urlpath": f"lab/tree/{name}/{path}",
    })
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def qr_svg(url: str, title: str = "") -> str:
    """An inline SVG QR code for ``url`` (error correction M, no XML declaration)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                    title=title or None, dark="#000", light="#fff")
    return buffer.getvalue().decode("utf-8")


def lite_url(site: str, workshop_id: str) -> str:
    """Link that opens a workshop's notebook in a JupyterLite site built by ``pvkit lite``."""
    return f"{site.rstrip('/')}/lab/index.html?" + urlencode({"path": f"{workshop_id}.ipynb"})


def learner_links(kit: Any, repo: Optional[str], ref: str = "main", hub: Optional[str] = None,
                  lite: Optional[str] = None) -> list[Link]:
    """Binder (with ``hub``, nbgitpuller; with ``lite``, JupyterLite) links to each workshop's learner notebook."""
    if not repo:
        return [Link(f"{w.title}: JupyterLite", lite_url(lite, w.id)) for w in kit.workshops] if lite else []
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        from pvkit.errors import UsageError

        raise UsageError(f"--repo {repo!r} is not OWNER/NAME\n  How to fix: write it like my-agency/pvkit-kit")
    links = []
    for workshop in kit.workshops:
        path = f"{LEARNER_FOLDER}/{workshop.id}.ipynb"
        links.append(Link(f"{workshop.title}: Binder", binder_url(repo, ref, path)))
        if hub:
            links.append(Link(f"{workshop.title}: JupyterHub", hub_url(hub, repo, ref, path)))
        if lite:
            links.append(Link(f"{workshop.title}: JupyterLite", lite_url(lite, workshop.id)))
    return links


def write_qr_codes(links: Sequence[Link], folder: Path) -> list[Path]:
    """Write one SVG QR code per link into ``folder``; return their paths."""
    from pvkit.atomic import write_atomic

    paths = []
    for link in links:
        name = re.sub(r"[^a-z0-9]+", "-", link.label.lower()).strip("-") + ".svg"
        path = Path(folder) / name
        write_atomic(path, link.qr_svg.encode("utf-8"))
        paths.append(path)
    return paths
