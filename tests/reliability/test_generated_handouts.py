"""Generated cohort files through full `pvkit handouts` runs: built whole, or refused with file:line.

Each generated cohort file (hypothesis, derandomized so CI sees the same cases) goes through one real
`pvkit handouts` run in-process (papermill, nbconvert, WeasyPrint for some), on the test kit.  Valid files
carry odd Unicode (every script, bidi controls, combining marks), long text up to the limit, and markup in
names, agencies, facilitators and support text; invalid ones break one rule each.  Every run must end
with exit 0 or 2, no traceback, no *.part file; a valid run's manifest must match the files on disk and
the cohort's words must show, as typed, in both handouts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.handouts.conftest import parse_html
from tests.reliability.conftest import make_kit, pvkit

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")]

#: How many generated cohort files each test sends through a full `pvkit handouts` run.
VALID_RUNS = 20
INVALID_RUNS_PER_RULE = 2

# Characters YAML can carry in a double-quoted scalar and a handout can show: no controls, no surrogates,
# no private use, no unassigned code points.  Format characters (bidi overrides, zero-width joiners) stay.
shown_chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"),
                            exclude_characters="\ufeff\u2028\u2029\x85")
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold**", "[x](javascript:alert(1))",
           "# heading", "$x$", "$$\\int_0^1$$", "{{ 7*7 }}", "{% raw %}", "${x}", "__import__('os')",
           "&amp; &lt;b&gt;", "\u202eevil\u202c", "e\u0301\u0301", "\U0001F600\u200d\U0001F525", "R\u00e9union",
           "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u4e2d\u6587", "\u0939\u093f\u0928\u094d\u0926\u0940",
           "../../etc", "C:\\x", "a/b", "-", "'\"", "10:30", "no", "null"]


def visible(text: str) -> bool:
    return bool(text.strip())


texts = st.one_of(
    st.text(shown_chars, min_size=1, max_size=60),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map(" ".join),
    st.builds(lambda a, b: a + " " + b, st.sampled_from(HOSTILE), st.text(shown_chars, min_size=1, max_size=20)),
    st.text(shown_chars, min_size=480, max_size=500),  # just under the 500-character limit
).filter(visible)


@dataclass
class Case:
    """One generated cohort file and whether pvkit must accept it."""

    fields: dict = field(default_factory=dict)
    valid: bool = True
    broken: str = ""  # the rule an invalid case breaks
    pdf: bool = False

    def yaml(self) -> str:
        # JSON strings are YAML 1.2 double-quoted scalars; lists and mappings go in flow style.
        return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in self.fields.items())


@st.composite
def valid_cases(draw) -> Case:
    fields: dict = {"name": draw(texts), "workshops": ["mini"],
                    "date": draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))).isoformat()}
    if draw(st.booleans()):
        fields["agency"] = draw(texts)
    if draw(st.booleans()):
        fields["facilitators"] = draw(st.lists(texts, min_size=1, max_size=3))
    if draw(st.booleans()):
        fields["support"] = draw(texts)
    if draw(st.booleans()):
        fields["id"] = draw(st.from_regex(r"[a-z0-9-]{1,64}", fullmatch=True))
    if draw(st.booleans()):
        fields["start"] = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
    if draw(st.booleans()):
        fields["paper"] = draw(st.sampled_from(["a4", "letter"]))
    if draw(st.booleans()):
        fields["modules"] = {"mini": draw(st.sampled_from([["states"], ["close"], ["states", "close"]]))}
    return Case(fields, pdf=draw(st.integers(0, 3)) == 0)


#: One broken rule each: (name, change to a valid file's fields, text the message must hold).
BREAKERS = {
    "unsafe id": (lambda f, t: f.update(id="X " + t), "is not a safe folder name"),
    "path id": (lambda f, t: f.update(id="../" + t), "is not a safe folder name"),
    "empty name": (lambda f, t: f.update(name="   "), "name is empty"),
    "long name": (lambda f, t: f.update(name=(t + " ") * 501), "longer than 500 characters"),
    "long support": (lambda f, t: f.update(support="x" * 501 + t), "longer than 500 characters"),
    "unknown key": (lambda f, t: f.update(nmae=t), "nmae"),
    "unknown workshop": (lambda f, t: f.update(workshops=["mini", "intro-" + t]), "does not exist"),
    "bad date": (lambda f, t: f.update(date="2027-02-30"), "is not a date"),
    "bad start": (lambda f, t: f.update(start="25:00"), "is not a time"),
    "number name": (lambda f, t: f.update(name=12), "not as text"),
    "control character": (lambda f, t: f.update(agency=t + "\x00"), "U+0000"),
    "lone surrogate": (lambda f, t: f.update(support=t + "\ud800"), "U+D800"),
    "missing workshops": (lambda f, t: f.pop("workshops"), "workshops"),
    "empty facilitator": (lambda f, t: f.update(facilitators=[t, " "]), "facilitator name is empty"),
    "bad logo": (lambda f, t: f.update(logo="../../../etc/passwd"), "logo"),
}


@st.composite
def invalid_cases(draw, broken: str) -> Case:
    case = draw(valid_cases())
    change, _ = BREAKERS[broken]
    change(case.fields, draw(texts))
    return Case(case.fields, valid=False, broken=broken)


def _yaml_text(case: Case) -> str:
    text = case.yaml()
    if case.broken == "lone surrogate":  # json.dumps writes it as the escape \ud800, which YAML reads back
        text = text.replace("\ud800", "\\ud800")
    return text


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _check_outputs(out: Path, case: Case) -> None:
    """The manifest lists exactly the files on disk, with their hashes; the cohort's words show as typed."""
    assert not list(out.rglob("*.part")), "a partial file was left behind"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failures"] == []
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk
    formats = {"html", "pdf"} if case.pdf else {"html"}
    assert {(e["variant"], e["format"]) for e in manifest["files"]} == {
        ("executed", "ipynb"), *((v, f) for v in ("learner", "facilitator") for f in formats)}
    for entry in manifest["files"]:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
        if entry["format"] == "pdf":
            assert len(PdfReader(out / entry["path"]).pages) >= 2
    f = case.fields
    wanted = [f["name"], f.get("agency", ""), ", ".join(f.get("facilitators", [])), f.get("support", "")]
    for entry in manifest["files"]:
        if entry["format"] != "html":
            continue
        text, tags = parse_html((out / entry["path"]).read_text(encoding="utf-8"))
        for value in filter(None, map(collapse, wanted)):
            assert value in text, (entry["path"], value[:80])
        assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed")]
        assert not [(t, a) for t, a in tags for name in a if name.startswith("on")]


_SETTINGS = settings(deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def test_generated_valid_cohorts_build_whole_handouts(tmp_path: Path):
    """Valid generated cohort files (odd Unicode, long and hostile text) each build, as typed, in a full run."""
    kit = make_kit(tmp_path / "kit")
    counts: Counter[str] = Counter()

    @settings(_SETTINGS, max_examples=VALID_RUNS)
    @given(case=valid_cases())
    def run(case: Case) -> None:
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        cohort = work / "cohort.yaml"
        cohort.write_text(_yaml_text(case), encoding="utf-8")
        out = work / "out"
        result = pvkit("handouts", "--root", str(kit), str(cohort), "-o", str(out), "-j", "1",
                       "--format", "html,pdf" if case.pdf else "html")
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err
        assert result.code == 0, result.err
        _check_outputs(out, case)
        counts["valid"] += 1
        counts["pdf"] += case.pdf

    run()
    print(f"\ngenerated valid cohort files built by full `pvkit handouts` runs: {dict(counts)}")
    assert counts["valid"] >= VALID_RUNS and counts["pdf"] >= 2


@pytest.mark.parametrize("broken", sorted(BREAKERS))
def test_generated_invalid_cohorts_are_refused_with_file_and_line(tmp_path: Path, broken: str):
    """Generated files breaking one rule each end a full run with exit 2, file:line, a hint, nothing written."""
    kit = make_kit(tmp_path / "kit")
    runs = []
    line = re.compile(r"cohort\.yaml:\d+: ")

    @settings(_SETTINGS, max_examples=INVALID_RUNS_PER_RULE)
    @given(case=invalid_cases(broken))
    def run(case: Case) -> None:
        work = Path(tempfile.mkdtemp(dir=tmp_path))
        cohort = work / "cohort.yaml"
        cohort.write_text(_yaml_text(case), encoding="utf-8")
        out = work / "out"
        result = pvkit("handouts", "--root", str(kit), str(cohort), "-o", str(out), "-j", "1", "--format", "html")
        assert "Traceback" not in result.err and "internal error" not in result.err, result.err
        assert result.code == 2, result.err
        assert line.search(result.err) and "How to fix:" in result.err, result.err
        assert BREAKERS[broken][1] in result.err, result.err
        assert not out.exists(), "an invalid cohort must build nothing"
        runs.append(case)

    run()
    print(f"\n{broken}: {len(runs)} generated cohort files refused by full `pvkit handouts` runs")
    assert len(runs) >= INVALID_RUNS_PER_RULE
