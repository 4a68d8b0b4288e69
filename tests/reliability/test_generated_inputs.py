"""Generated bad input never crashes: every run ends valid, or with exit-2 problems that say where and how.

Property-based (hypothesis): cohort files and exercise files made of wrong types, missing and unknown
keys, Unicode of every script, very long strings, YAML anchors and aliases, duplicate keys and binary
garbage, run in-process through the API the CLI uses.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvkit.cohort import load_cohorts
from pvkit.content.validate import load_kit as load_content
from pvkit.errors import ContentError, Problem
from pvkit.kitfolder import load_kit
from tests.conftest import FIXTURES

COHORT_KEYS = ["name", "id", "agency", "workshops", "date", "start", "paper", "facilitators", "modules",
               "breaks", "support", "binder", "hub", "logo", "nmae", "wokrshops"]
EXERCISE_KEYS = ["id", "kind", "workshop", "module", "title", "prompt", "questions", "bins", "items", "steps",
                 "states", "prompts", "sections", "alternatives", "opt_out", "minutes", "sources", "terms",
                 "facilitator_notes", "setting", "inhale", "exhale", "tittle"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=2000),
    st.sampled_from(["10:30", "no", "yes", "2027-13-45", "2027-03-14", "~", "!!python/object:os.system", "intro",
                     "mini", "states", "quiz", "../../etc", "<script>alert(1)</script>", "{{ x }}", "*alias"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)


def _yaml_scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_flow(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_scalar(k)}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    return _yaml_scalar(value)


@st.composite
def yaml_documents(draw, keys: list[str]) -> bytes:
    """A YAML mapping with some known and unknown keys, or something stranger."""
    kind = draw(st.sampled_from(["mapping", "mapping", "mapping", "anchors", "duplicate", "garbage", "raw"]))
    if kind == "garbage":
        return draw(st.binary(max_size=300))
    if kind == "raw":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    chosen = draw(st.lists(st.sampled_from(keys), max_size=len(keys), unique=True))
    lines = [f"{key}: {_yaml_flow(draw(values))}" for key in chosen]
    if kind == "anchors":
        lines.insert(0, "x-base: &base {a: [1, 2, 3]}")
        lines.append("x-copy: *base")
        lines.append("x-missing: *nowhere")
    if kind == "duplicate" and chosen:
        lines.append(lines[0])
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def kit():
    return load_kit(FIXTURES / "kit")


def _assert_clean(problems: tuple[Problem, ...], shown: str) -> None:
    assert problems, "an error must carry at least one problem"
    for problem in problems:
        assert problem.file and problem.message
        assert "Traceback" not in str(problem)


_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
COHORT_CASES = 700
EXERCISE_CASES = 300


def test_generated_cohort_files_never_crash(kit, tmp_path_factory):
    """Any cohort file either validates or is refused with located problems; nothing else escapes."""
    outcomes: Counter[str] = Counter()

    @settings(_SETTINGS, max_examples=COHORT_CASES)
    @given(data=yaml_documents(COHORT_KEYS))
    def run(data: bytes) -> None:
        path = tmp_path_factory.mktemp("cohort") / "c.yaml"
        path.write_bytes(data)
        try:
            cohorts = load_cohorts([path], kit)
        except ContentError as exc:
            _assert_clean(exc.problems, str(path))
            outcomes["refused"] += 1
        else:
            assert cohorts[0].cohort.slug and "/" not in cohorts[0].cohort.slug
            outcomes["valid"] += 1

    run()
    print(f"\ngenerated cohort files: {sum(outcomes.values())} run ({dict(outcomes)})")
    assert sum(outcomes.values()) >= COHORT_CASES


def test_generated_exercise_files_never_crash(tmp_path_factory):
    """Any exercise file added to a valid kit validates or is refused with located problems."""
    outcomes: Counter[str] = Counter()

    @settings(_SETTINGS, max_examples=EXERCISE_CASES)
    @given(exercises=st.lists(yaml_documents(EXERCISE_KEYS), max_size=3))
    def run(exercises: list[bytes]) -> None:
        root = tmp_path_factory.mktemp("kit")
        shutil.copytree(FIXTURES / "kit" / "exercises", root / "exercises")
        body = b"exercises:\n" + b"".join(b"  - " + doc.replace(b"\n", b"\n    ") + b"\n" for doc in exercises)
        (root / "exercises" / "mini" / "generated.yaml").write_bytes(body)
        try:
            load_content(root)
        except ContentError as exc:
            _assert_clean(exc.problems, "generated.yaml")
            outcomes["refused"] += 1
        else:
            outcomes["valid"] += 1

    run()
    print(f"\ngenerated exercise file sets: {sum(outcomes.values())} run ({dict(outcomes)})")
    assert sum(outcomes.values()) >= EXERCISE_CASES


def test_huge_file_is_refused_with_its_size(kit, tmp_path: Path):
    """A file over the size limit is refused with a message, before it is parsed."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"name: x\n" + b"# padding\n" * 300_000)
    with pytest.raises(ContentError) as err:
        load_cohorts([path], kit)
    assert "more than pvkit reads" in str(err.value)


def test_yaml_cannot_construct_python_objects(kit, tmp_path: Path):
    """Python-specific YAML tags are refused, never executed."""
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'name: !!python/object/apply:os.system ["touch {marker}"]\nworkshops: [mini]\ndate: 2027-03-14\n')
    with pytest.raises(ContentError):
        load_cohorts([path], kit)
    assert not marker.exists()
