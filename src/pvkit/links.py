"""Launch links for learners: Binder, JupyterHub (nbgitpuller), and QR codes for print.

Binder opens a notebook in JupyterLab with ``urlpath=lab/tree/<path>``;
nbgitpuller clones the repository into the learner's hub server and opens the
same path.  QR codes are SVG from segno, so handouts need no image files.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

__all__ = ["Link", "binder_url", "hub_url", "qr_svg"]

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
