"""Pandoc-style citations in text: ``[@key]`` and ``[@a; @b]`` (stdlib only)."""

from __future__ import annotations

import re

__all__ = ["CITATION", "citations_in"]

#: A bracketed citation group.
CITATION = re.compile(r"\[[^\[\]]*?@[A-Za-z0-9][^\[\]]*\]")
_CITE_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_-]*)")


def citations_in(text: str) -> list[str]:
    """Return the reference keys cited in ``text`` as ``[@key]``, in order."""
    return [key for group in CITATION.findall(text) for key in _CITE_KEY.findall(group)]
