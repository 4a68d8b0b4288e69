"""Pandoc-style citations in text: ``[@key]`` and ``[@a; @b]`` (stdlib only)."""

from __future__ import annotations

import re

__all__ = ["CITATION", "citation_keys", "citations_in"]

#: A bracketed citation group.
CITATION = re.compile(r"\[[^\[\]]*?@[A-Za-z0-9][^\[\]]*\]")
_CITE_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_-]*)")


def citation_keys(group: str) -> list[str]:
    """The keys in one bracketed citation group, e.g. ``[@a; @b, p. 3]`` -> ``["a", "b"]``."""
    return _CITE_KEY.findall(group)


def citations_in(text: str) -> list[str]:
    """Return the reference keys cited in ``text`` as ``[@key]``, in order."""
    return [key for group in CITATION.findall(text) for key in citation_keys(group)]
