"""Cohort files: values read as written, safe slugs, batch rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pvkit.cohort import ID_PATTERN, load_cohorts, slugify
from pvkit.errors import ContentError
from pvkit.kitfolder import load_kit


def _cohort(kit_dir: Path, text: str, name: str = "c.yaml"):
    path = kit_dir / "cohorts" / name
    path.write_text(text, encoding="utf-8")
    return load_cohorts([path], load_kit(kit_dir))[0].cohort


def test_times_and_no_are_read_as_written(kit_dir: Path):
    """`start: 10:30` is the time 10:30 and `name: no` is the text "no" (YAML 1.2)."""
    c = _cohort(kit_dir, "name: no\nworkshops: [mini]\ndate: 2027-03-14\nstart: 10:30\n")
    assert c.name == "no" and c.start == "10:30" and c.id == "no"
    assert c.date == dt.date(2027, 3, 14)


def test_short_hour_is_normalised(kit_dir: Path):
    """A start of "9:30" becomes "09:30" for the run sheet."""
    assert _cohort(kit_dir, 'name: A\nworkshops: [mini]\ndate: 2027-03-14\nstart: "9:30"\n').start == "09:30"


def test_quoted_date_is_accepted(kit_dir: Path):
    """A date in quotes is still a date."""
    assert _cohort(kit_dir, 'name: A\nworkshops: [mini]\ndate: "2027-03-14"\n').date == dt.date(2027, 3, 14)


def test_defaults(kit_dir: Path):
    """Optional fields take the documented defaults; the id is the slug of the name."""
    c = _cohort(kit_dir, "name: Riverside Spring!\nworkshops: [mini]\ndate: 2027-03-14\n")
    assert (c.id, c.start, c.paper, c.facilitators, c.support) == ("riverside-spring", "09:00", "a4", (), "")


def test_modules_subset_keeps_workshop_order(kit_dir: Path):
    """A modules subset is run in the workshop's order, whatever order the file lists."""
    c = _cohort(kit_dir, "name: A\nworkshops: [mini]\ndate: 2027-03-14\nmodules: {mini: [close, states]}\n")
    assert c.module_ids(load_kit(kit_dir), "mini") == ("states", "close")


def test_duplicate_ids_in_one_batch_are_refused(kit_dir: Path):
    """Two cohorts that would write to the same folder are an error naming both files."""
    kit = load_kit(kit_dir)
    a = kit_dir / "cohorts" / "a.yaml"
    b = kit_dir / "cohorts" / "b.yaml"
    a.write_text("name: Spring group\nworkshops: [mini]\ndate: 2027-03-14\n")
    b.write_text("name: Spring Group\nworkshops: [mini]\ndate: 2027-04-14\n")
    with pytest.raises(ContentError) as err:
        load_cohorts([a, b], kit)
    assert "cohort id 'spring-group' is also used by" in str(err.value)
    assert str(a) in str(err.value)


@pytest.mark.parametrize(
    "name, expected",
    [
        pytest.param("Riverside Outreach - Spring cohort", "riverside-outreach-spring-cohort", id="plain"),
        pytest.param("Équipe de Montréal", "equipe-de-montreal", id="accents"),
        pytest.param("../../etc/passwd", "etc-passwd", id="path-traversal"),
        pytest.param("<script>alert(1)</script>", "script-alert-1-script", id="markup"),
    ],
)
def test_slugify_examples(name: str, expected: str):
    """Names become readable, safe folder names."""
    assert slugify(name) == expected


def test_slug_of_non_latin_name_is_stable_fallback():
    """A name with no Latin letters gets cohort- and a stable short hash."""
    slug = slugify("東京チーム")
    assert slug.startswith("cohort-") and len(slug) == len("cohort-") + 8
    assert slug == slugify("東京チーム") != slugify("大阪チーム")


@given(st.text(max_size=300))
def test_any_name_gives_a_safe_nonempty_slug(name: str):
    """Whatever the name, the slug is a safe folder name: never empty, never a path."""
    slug = slugify(name)
    assert ID_PATTERN.match(slug)
    assert slug not in (".", "..") and "/" not in slug
