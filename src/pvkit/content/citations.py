"""Pandoc-style citations in text: ``[@key]`` and ``[@a; @b]`` (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, Iterator, Union

__all__ = ["CITATION", "citation_keys", "citations_in", "strings_in"]

#: A bracketed citation group.
CITATION = re.compile(r"\[[^\[\]]*?@[A-Za-z0-9][^\[\]]*\]")
_CITE_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_-]*)")


def citation_keys(group: str) -> list[str]:
    """The keys in one bracketed citation group, e.g. ``[@a; @b, p. 3]`` -> ``["a", "b"]``."""
    return _CITE_KEY.findall(group)


def citations_in(text: str) -> list[str]:
    """Return the reference keys cited in ``text`` as ``[@key]``, in order."""
    return [key for group in CITATION.findall(text) for key in citation_keys(group)]


def strings_in(node: Any, loc: tuple[Union[str, int], ...] = ()) -> Iterator[tuple[tuple[Union[str, int], ...], str]]:
    """Every string in a tree of content dataclasses and tuples, with its location."""
    if isinstance(node, str):
        yield loc, node
    elif is_dataclass(node):
        for f in fields(node):
            yield from strings_in(getattr(node, f.name), (*loc, f.name))
    elif isinstance(node, tuple):
        for i, value in enumerate(node):
            yield from strings_in(value, (*loc, i))
