"""Reading YAML with line numbers, safely, as YAML 1.2.

ruamel.yaml's round-trip loader keeps the line of every key and item, which
lets a validation error point at ``file:line``.  It builds only plain
mappings, sequences and scalars (no arbitrary Python objects), and reads YAML
1.2, where ``no`` and ``10:30`` stay the strings they look like.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence, Union

from pvkit.errors import Problem

__all__ = ["MAX_BYTES", "YamlFile", "read_yaml", "locate", "to_plain", "field_path"]

#: Largest YAML file pvkit reads; content and cohort files are far smaller.
MAX_BYTES = 2 * 1024 * 1024

Loc = Sequence[Union[str, int]]


@dataclass(frozen=True)
class YamlFile:
    """A parsed YAML file: its path as shown to the user and its root node."""

    path: Path
    shown: str
    root: Any


def read_yaml(path: Path, shown: str | None = None) -> YamlFile | Problem:
    """Parse ``path``; return the parsed file or a :class:`Problem` saying what is wrong."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Problem(
                shown,
                f"the file is {size:,} bytes, more than pvkit reads ({MAX_BYTES:,})",
                "split it into smaller files, or check that it is the file you meant",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(shown, f"cannot read the file ({exc.strerror})", "check the path")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(
            shown,
            f"the file is not UTF-8 text (bad byte at offset {exc.start})",
            "save it as UTF-8 text from your editor",
        )
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Constructor = _text_dates()
    try:
        root = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or exc.context or "invalid YAML").strip()
        return Problem(
            shown,
            f"YAML syntax error: {what}",
            _syntax_hint(what),
            line=line,
        )
    except (YAMLError, RecursionError, ValueError) as exc:
        return Problem(shown, f"YAML error: {exc}", "check the file's indentation and quoting")
    return YamlFile(path, shown, root)


@functools.lru_cache(maxsize=None)
def _text_dates() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor

    class TextDates(RoundTripConstructor):
        """Dates stay text, so that pvkit checks them and can say where a bad one is."""

    TextDates.add_constructor("tag:yaml.org,2002:timestamp", TextDates.construct_yaml_str)
    return TextDates


def _syntax_hint(what: str) -> str:
    if "duplicate key" in what:
        return "each key may appear only once in a mapping; remove or rename the repeated one"
    if "mapping values are not allowed" in what:
        return 'put text that contains ": " in quotes, e.g. title: "Part 1: why"'
    if "tab" in what or "\t" in what or "\\t" in what:
        return "indent with spaces, not tabs"
    return "check indentation and quoting on this line and the one before it"


def to_plain(node: Any) -> Any:
    """Return ``node`` as plain Python: dicts, tuples (for sequences) and scalars.

    Sequences become tuples because the content model is frozen; pydantic's
    strict mode then checks every scalar type exactly.
    """
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return tuple(to_plain(v) for v in node)
    if isinstance(node, str):
        return str(node)  # drop ruamel's scalar-string subclasses
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, (dt.date, dt.datetime)):
        return node
    return node


def locate(node: Any, loc: Loc) -> int | None:
    """Return the 1-based line of the value at ``loc`` inside ``node``, as near as known.

    When the path runs out (a missing key), the line of the deepest existing
    container is returned: where the missing key should go.
    """
    line = _line_of(node)
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = _key_line(node, part) or line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line = _item_line(node, part) or line
            node = node[part]
        else:
            break
    return line


def _item_line(seq: Any, index: int) -> int | None:
    try:
        return int(seq.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _line_of(node: Any) -> int | None:
    try:
        return int(node.lc.line) + 1
    except AttributeError:
        return None


def _key_line(mapping: Any, key: Any) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def field_path(loc: Loc) -> str:
    """Format a location as the user writes it: ``questions[0].options[1].feedback``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
