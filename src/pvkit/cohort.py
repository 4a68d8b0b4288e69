"""Cohort files: one YAML file per group of staff, validated against the kit.

The format is a contract (see the README): unknown keys are errors, values are
read as written (YAML 1.2: ``start: 10:30`` is the text "10:30", ``name: no``
is the text "no"), and the id that names the output folder is always a safe
slug.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Mapping, Optional, Sequence

from pvkit.content.models import Kit
from pvkit.content.yamlfile import YamlFile, locate, read_yaml, to_plain
from pvkit.errors import ContentError, Problem

__all__ = [
    "Break",
    "Binder",
    "Cohort",
    "NEW_COHORT_TEMPLATE",
    "load_cohorts",
    "slugify",
]

_CONFIG = {"extra": "forbid"}
ID_PATTERN = re.compile(r"^[a-z0-9-]{1,64}$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
MAX_TEXT = 500


def _model(cls: type) -> type:
    cls.__pydantic_config__ = _CONFIG  # type: ignore[attr-defined]
    return dataclass(frozen=True, kw_only=True)(cls)


@_model
class Break:
    """A break after a module."""

    after: str
    minutes: int


@_model
class Binder:
    """Where Binder builds the kit from."""

    repo: str
    ref: str = "main"


@_model
class Cohort:
    """One cohort file, as validated.  ``id`` is always set after loading."""

    name: str
    workshops: tuple[str, ...]
    date: dt.date
    id: Optional[str] = None
    agency: str = ""
    start: str = "09:00"
    paper: Literal["a4", "letter"] = "a4"
    facilitators: tuple[str, ...] = ()
    modules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    breaks: Mapping[str, tuple[Break, ...]] = field(default_factory=dict)
    support: str = ""
    binder: Optional[Binder] = None
    hub: str = ""
    logo: str = ""

    @property
    def slug(self) -> str:
        """The output folder name: ``id`` if given, else a slug of ``name``."""
        return self.id or slugify(self.name)

    def module_ids(self, kit: Kit, workshop: str) -> tuple[str, ...]:
        """The modules this cohort runs of ``workshop``, in the workshop's order."""
        wanted = self.modules.get(workshop)
        ids = kit.workshop(workshop).module_ids
        return ids if not wanted else tuple(i for i in ids if i in wanted)


@dataclass(frozen=True)
class CohortFile:
    """A validated cohort and the file it came from."""

    path: Path
    cohort: Cohort

    @property
    def logo_path(self) -> Path | None:
        """The logo file, resolved against the cohort file's folder."""
        return (self.path.parent / self.cohort.logo) if self.cohort.logo else None


def slugify(name: str) -> str:
    """Return a safe folder name for ``name``: ``[a-z0-9-]{1,64}``, never empty, never a path.

    Names with no Latin letters or digits get ``cohort-`` and a short, stable
    hash of the name.
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    if not slug:
        slug = "cohort-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def load_cohorts(paths: Sequence[Path], kit: Kit) -> list[CohortFile]:
    """Read and validate cohort files against ``kit``; every problem of every file at once.

    Raises
    ------
    ContentError
        With one problem per mistake, each naming file, line and field.
    """
    from pydantic import TypeAdapter, ValidationError

    from pvkit.content.validate import schema_problems

    adapter = TypeAdapter(Cohort)
    problems: list[Problem] = []
    loaded: list[tuple[CohortFile, YamlFile]] = []
    for path in paths:
        parsed = read_yaml(Path(path))
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        if not isinstance(parsed.root, dict):
            problems.append(Problem(parsed.shown, "a cohort file must be a mapping of 'key: value' lines",
                                    "start from 'pvkit new-cohort FILE'", line=1))
            continue
        plain = to_plain(parsed.root)
        pre = _pre_checks(parsed, plain)
        # Characters that cannot be shown or saved are reported and dropped from ``plain``, so that
        # every other mistake in the file is still reported in this run.
        bad_characters = _character_problems(parsed, plain)
        problems.extend(pre + bad_characters)
        # Values the pre-checks refused are replaced by harmless ones, for the same reason.
        for problem in pre:
            plain[problem.field] = _STAND_INS[problem.field]
        try:
            cohort = adapter.validate_json(json.dumps(plain, default=str), strict=True)
        except ValidationError as exc:
            allowed = [f for f in Cohort.__dataclass_fields__] + ["after", "minutes", "repo", "ref"]
            problems.extend(schema_problems(exc, parsed, parsed.root, (), "cohort", allowed))
            continue
        match = _TIME.fullmatch(cohort.start)
        cohort = replace(cohort, start=f"{int(match.group(1)):02d}:{match.group(2)}") if match else cohort
        cohort = replace(cohort, id=cohort.slug)
        problems.extend(_check(parsed, cohort, kit))
        if not pre and not bad_characters:
            loaded.append((CohortFile(Path(path), cohort), parsed))
    seen: dict[str, CohortFile] = {}
    for item, parsed in loaded:
        first = seen.get(item.cohort.slug)
        if first is not None:
            problems.append(Problem(
                parsed.shown,
                f"cohort id '{item.cohort.slug}' is also used by {first.path}",
                "give each cohort a unique 'id:' (it names the output folder)",
                line=locate(parsed.root, ["id"] if "id" in parsed.root else ["name"]),
                field="id",
            ))
        seen.setdefault(item.cohort.slug, item)
    if problems:
        raise ContentError(problems)
    return [item for item, _ in loaded]


_STAND_INS = {"start": "09:00", "date": "2000-01-01", "name": "cohort", "agency": "", "support": "", "id": "cohort"}


def _pre_checks(file: YamlFile, plain: dict) -> list[Problem]:
    """Catch YAML surprises before type checking, with a message for each."""
    out = []
    start = plain.get("start")
    if isinstance(start, int) and not isinstance(start, bool):
        hours, minutes = divmod(start, 60)
        out.append(Problem(
            file.shown,
            f"start was read as the number {start} (YAML 1.1 reads 10:30 as minutes)",
            f'write the time in quotes, e.g. start: "{hours:02d}:{minutes:02d}"',
            line=locate(file.root, ["start"]),
            field="start",
        ))
    for key in ("name", "agency", "support", "id"):
        value = plain.get(key)
        if isinstance(value, (bool, int, float)):
            out.append(Problem(
                file.shown,
                f"{key} was read as {str(value).lower()}, not as text",
                f'put it in quotes, e.g. {key}: "{value if not isinstance(value, bool) else "no"}"',
                line=locate(file.root, [key]),
                field=key,
            ))
    date = plain.get("date")
    if isinstance(date, str):
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            out.append(Problem(file.shown, f"date {date!r} is not a date",
                               "write it as YYYY-MM-DD, e.g. date: 2027-03-14",
                               line=locate(file.root, ["date"]), field="date"))
    return out


def _bad_character(text: str) -> str | None:
    """The first character of ``text`` a handout cannot show as typed (controls, lone surrogates), or None."""
    for char in text:
        if char in "\t\n":
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def _character_problems(file: YamlFile, plain: dict) -> list[Problem]:
    """Refuse text holding control characters or lone surrogates; remove them from ``plain``.

    YAML escapes such as ``"\\0"`` or ``"\\ud800"`` produce them.  A NUL or an escape
    character cannot be printed, a browser shows it as something else, and a lone surrogate
    cannot be written as UTF-8, so none of them is passed through to a handout.
    """
    out: list[Problem] = []

    def walk(value: object, loc: list[str | int]) -> object:
        if isinstance(value, str):
            char = _bad_character(value)
            if char is None:
                return value
            shown = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(loc))
            out.append(Problem(
                file.shown,
                f"{shown or 'the file'} contains the invisible character U+{ord(char):04X}, which a handout "
                "cannot show",
                "remove it (it often comes from a copy and paste, or an escape such as \\0 in quotes)",
                line=locate(file.root, loc),
                field=shown,
            ))
            return "".join(c for c in value if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs"))
        if isinstance(value, tuple):
            return tuple(walk(v, [*loc, i]) for i, v in enumerate(value))
        if isinstance(value, dict):
            return {k: walk(v, [*loc, k]) for k, v in value.items()}
        return value

    for key in list(plain):
        plain[key] = walk(plain[key], [key])
    return out


def _check(file: YamlFile, c: Cohort, kit: Kit) -> list[Problem]:
    out: list[Problem] = []
    root = file.root

    def add(message: str, hint: str, *loc: str | int) -> None:
        shown = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
        out.append(Problem(file.shown, message, hint, line=locate(root, list(loc)), field=shown))

    if not c.name.strip():
        add("name is empty", 'write the cohort\'s name, e.g. name: "Riverside - Spring cohort"', "name")
    for key in ("name", "agency", "support"):
        if len(getattr(c, key)) > MAX_TEXT:
            add(f"{key} is longer than {MAX_TEXT} characters", "shorten it", key)
    if c.id is not None and "id" in root and not ID_PATTERN.fullmatch(str(root["id"])):
        add(f"id {str(root['id'])!r} is not a safe folder name",
            "use 1 to 64 lower-case letters, digits and hyphens, e.g. id: riverside-spring", "id")
    if not _TIME.fullmatch(c.start):
        add(f"start {c.start!r} is not a time", 'write it as HH:MM in quotes, e.g. start: "09:30"', "start")
    if not c.workshops:
        add("no workshops listed", "list at least one, e.g. workshops: [intro]", "workshops")
    known = [w.id for w in kit.workshops]
    for i, wid in enumerate(c.workshops):
        if wid not in known:
            close = difflib.get_close_matches(wid, known, n=1)
            add(f"workshop '{wid}' does not exist",
                (f"did you mean '{close[0]}'? " if close else "") + "workshops are: " + ", ".join(known),
                "workshops", i)
        if wid in c.workshops[:i]:
            add(f"workshop '{wid}' is listed twice", "list each workshop once", "workshops", i)
    for key in ("modules", "breaks"):
        for wid in getattr(c, key):
            if wid not in c.workshops:
                add(f"{key} names workshop '{wid}', which this cohort does not run",
                    f"add '{wid}' to workshops, or remove it from {key}", key, wid)
    for wid, mids in c.modules.items():
        if wid not in known:
            continue
        ids = kit.workshop(wid).module_ids
        for i, mid in enumerate(mids):
            if mid not in ids:
                add(f"module '{mid}' is not part of workshop '{wid}'", "modules are: " + ", ".join(ids),
                    "modules", wid, i)
        if not mids:
            add(f"modules for '{wid}' is an empty list", "list the modules to run, or remove the entry",
                "modules", wid)
    for wid, breaks in c.breaks.items():
        if wid not in known:
            continue
        running = c.module_ids(kit, wid)
        for i, brk in enumerate(breaks):
            if brk.after not in running:
                add(f"break after '{brk.after}': that module is not run by this cohort in '{wid}'",
                    "use one of: " + ", ".join(running), "breaks", wid, i, "after")
            if not 1 <= brk.minutes <= 240:
                add("break minutes must be between 1 and 240", "give the break's length in minutes",
                    "breaks", wid, i, "minutes")
    for i, name in enumerate(c.facilitators):
        if not name.strip():
            add("a facilitator name is empty", "remove the empty entry", "facilitators", i)
    if c.binder is not None and not _REPO.fullmatch(c.binder.repo):
        add(f"binder repo {c.binder.repo!r} is not OWNER/NAME", 'write it like repo: "my-agency/pvkit-kit"',
            "binder", "repo")
    if c.hub and not _URL.fullmatch(c.hub):
        add(f"hub {c.hub!r} is not a web address", 'write it like hub: "https://hub.example.org"', "hub")
    if c.logo:
        logo = file.path.parent / c.logo
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            add(f"logo {c.logo!r} is not a PNG, JPEG or SVG file", "use a .png, .jpg or .svg image", "logo")
        elif not logo.is_file():
            add(f"logo file {c.logo!r} was not found next to the cohort file",
                "give the path relative to the cohort file's folder", "logo")
        else:
            problem = _logo_problem(logo)
            if problem:
                add(f"logo {c.logo!r} {problem}", "use a .png, .jpg or .svg image file of at most "
                    f"{MAX_LOGO_BYTES // 1024 // 1024} MB", "logo")
    return out


#: Largest logo pvkit embeds in a handout.
MAX_LOGO_BYTES = 2 * 1024 * 1024
_LOGO_SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}


def _logo_problem(path: Path) -> str:
    """Why the file at ``path`` is not an image of its kind, or ``""``.

    The logo is embedded in every handout, which is shared: a file that only has an image's name
    (a renamed document, a link to a system file) must not end up in it.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if size > MAX_LOGO_BYTES:
        return f"is {size:,} bytes, more than pvkit embeds ({MAX_LOGO_BYTES:,})"
    suffix = path.suffix.lower()
    if suffix == ".svg":
        text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
        ok = text.startswith(("<svg", "<?xml", "<!--", "<!DOCTYPE svg")) and "<svg" in path.read_text(
            encoding="utf-8", errors="replace")
    else:
        ok = head.startswith(_LOGO_SIGNATURES[suffix])
    return "" if ok else f"is not a {suffix[1:].upper()} image (its content is something else)"


NEW_COHORT_TEMPLATE = """\
# pvkit cohort file: one per group of staff.  Fill it in, then run:
#   pvkit validate {filename}
#   pvkit handouts {filename}
# Put text in quotes when it contains ':' or could be read as a number or yes/no.

name: "Our agency - cohort name"          # required: shown on every handout
# id: our-cohort                          # optional: a-z, 0-9 and '-'; names the output folder
agency: ""                                # optional: your organisation
workshops: [{workshops}]                  # required: {workshop_list}
date: {date}                              # required: YYYY-MM-DD
start: "09:00"                            # optional: HH:MM in quotes; the run sheet starts here
paper: a4                                 # optional: a4 or letter
facilitators: []                          # optional: e.g. ["A. Rivera", "J. Chen"]
# modules: {{intro: [welcome, three-states]}}   # optional: run only some modules, per workshop
# breaks: {{intro: [{{after: three-states, minutes: 15}}]}}   # optional: breaks, per workshop
support: ""                               # optional: quiet room, employee assistance, crisis line
# binder: {{repo: "OWNER/NAME", ref: main}}   # optional: Binder links and QR codes in handouts
# hub: "https://hub.example.org"          # optional: your JupyterHub, for nbgitpuller links
# logo: "logo.png"                        # optional: relative to this file; shown on the cover
"""
