"""Broken content and cohort files: each is refused with exit 2, file, line, field and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

EX = "exercises/mini/exercises.yaml"
WS = "exercises/workshops/mini.yaml"
GL = "exercises/glossary.yaml"
RF = "exercises/references.yaml"
CO = "cohorts/good.yaml"

# (file, old text, new text (old=None: create the file), text on the expected line, fragments)
CASES = [
    pytest.param(EX, "title: States quiz", "title: States: quiz", "States: quiz",
                 ["YAML syntax error", "in quotes"], id="yaml-colon-unquoted"),
    pytest.param(EX, "    title: Cue sort\n", "    title: Cue sort\n    title: Again\n", "title: Again",
                 ["duplicate key", "only once"], id="yaml-duplicate-key"),
    pytest.param(EX, "    prompt: Sort each cue.", "\tprompt: Sort each cue.", "prompt: Sort each cue",
                 ["YAML syntax error", "spaces, not tabs"], id="yaml-tab-indent"),
    pytest.param(EX, "feedback: Dorsal is linked", "feedbak: Dorsal is linked", "feedbak:",
                 ["quiz-states: questions[0].options[1].feedbak", "unknown key 'feedbak'",
                  "did you mean 'feedback'"], id="unknown-key-typo"),
    pytest.param(EX, "    prompt: Choose the one best answer.\n", "", "- id: quiz-states",
                 ["quiz-states: prompt", "required field 'prompt' is missing", "add 'prompt:'"],
                 id="missing-field"),
    pytest.param(WS, "minutes: 25", "minutes: twenty", "minutes: twenty",
                 ["modules[0].minutes", "expected a whole number", "without quotes"], id="wrong-type-int"),
    pytest.param(EX, "            correct: true", "            correct: yes", "correct: yes",
                 ["options[0].correct", "expected true or false"], id="wrong-type-bool"),
    pytest.param(EX, "    title: Cue sort", "    title: [Cue, sort]", "title: [Cue, sort]",
                 ["sort-cues: title", "expected text, found a list"], id="wrong-type-list-for-text"),
    pytest.param(EX, "kind: sort", "kind: sorting", "- id: sort-cues",
                 ["unknown exercise kind 'sorting'", "did you mean 'sort'"], id="unknown-kind"),
    pytest.param(EX, "    kind: practice\n", "", "- id: practice-exhale",
                 ["required field 'kind' is missing", "one of: quiz"], id="missing-kind"),
    pytest.param("exercises/mini/more.yaml", None,
                 "exercises:\n  - id: quiz-states\n    kind: reflection\n    workshop: mini\n    module: close\n"
                 "    title: Again\n    prompt: Again.\n    prompts: [{id: a, label: A}]\n",
                 "id: quiz-states", ["duplicate exercise id 'quiz-states'", "already defined at " + EX],
                 id="duplicate-id-across-files"),
    pytest.param(EX, "workshop: mini\n    module: close\n    title: Reflection",
                 "workshop: maxi\n    module: close\n    title: Reflection", "workshop: maxi",
                 ["reflect-close: workshop", "workshop 'maxi' is not defined", "did you mean 'mini'"],
                 id="unknown-workshop"),
    pytest.param(EX, "module: close\n    title: Reflection", "module: closing\n    title: Reflection",
                 "module: closing", ["module 'closing' does not exist in workshop 'mini'", "did you mean 'close'"],
                 id="unknown-module"),
    pytest.param(EX, "    sources: [dana-2018]\n    questions", "    sources: [dana-2019]\n    questions",
                 "sources: [dana-2019]", ["quiz-states: sources[0]", "reference key 'dana-2019' is not defined",
                                          "did you mean 'dana-2018'"], id="unknown-source-key"),
    pytest.param(EX, "[@dana-2018].", "[@dana-2081].", "[@dana-2081]",
                 ["cited reference 'dana-2081' is not defined", "references.yaml"], id="unknown-citation-in-text"),
    pytest.param(WS, "terms: [neuroception]", "terms: [neuroceptions]", "terms: [neuroceptions]",
                 ["glossary term 'neuroceptions' is not defined", "did you mean 'neuroception'"],
                 id="undefined-glossary-term"),
    pytest.param(GL, "related: [neuroception]", "related: [interoception]", "related: [interoception]",
                 ["glossary term 'interoception' is not defined", "glossary.yaml"], id="undefined-related-term"),
    pytest.param(WS, "minutes: 40", "minutes: 45", "minutes: 45",
                 ["module minutes add up to 40", "minutes: 45", "agree"], id="minutes-do-not-add-up"),
    pytest.param(EX, "            feedback: Dorsal is linked", "            correct: true\n"
                 "            feedback: Dorsal is linked", "options:",
                 ["exactly one 'correct: true'", "found 2", "multiple: true"], id="two-correct-single-answer"),
    pytest.param(EX, "bin: danger", "bin: threat", "bin: threat",
                 ["items[1].bin", "bin 'threat' is not one of", "safety"], id="sort-unknown-bin"),
    pytest.param(EX, "next: later", "next: latter", "next: latter",
                 ["step 'latter' does not exist", "later"], id="scenario-unknown-next"),
    pytest.param(EX, ", next: later}", "}", "- id: later",
                 ["step 'later' cannot be reached", "next"], id="scenario-unreachable-step"),
    pytest.param(EX, "    alternatives:\n      - {title: Orienting, text: Look around the room slowly.}",
                 "    alternatives: []", "alternatives: []",
                 ["must offer at least one alternative", "non-breath"], id="practice-without-alternative"),
    pytest.param(RF, "  - key: porges-2017", "  - key: dana-2018", "key: dana-2018\n",
                 ["duplicate reference key 'dana-2018'"], id="duplicate-reference-key"),
    pytest.param(EX, "id: sort-cues", "id: Sort_Cues", "id: Sort_Cues",
                 ["'Sort_Cues' is not a valid id", "lower-case"], id="bad-exercise-id"),
    pytest.param(RF, "references:", "refs:", "refs:",
                 ["must start with 'references:'"], id="wrong-top-level-key"),
    pytest.param(WS, "objectives: [Plan one next step.]", "objectives: []", "objectives: []",
                 ["has no objectives", "at least one"], id="module-without-objectives"),
    pytest.param(WS, "id: mini\n", "id: minis\n", "id: minis",
                 ["does not match its file name", "mini.yaml"], id="workshop-id-not-file-name"),
    # cohort files
    pytest.param(CO, "agency:", "agncy:", "agncy:",
                 ["cohort: agncy", "unknown key 'agncy'", "did you mean 'agency'"], id="cohort-unknown-key"),
    pytest.param(CO, 'name: "Riverside', '%YAML 1.1\n---\nstart2: x\nname: "Riverside', "start2: x",
                 ["unknown key 'start2'", "did you mean 'start'"], id="cohort-yaml11-typo"),
    pytest.param(CO, 'start: "09:30"', "start: 10:30\n", "start: 10:30",
                 [], id="cohort-start-unquoted-is-fine"),
    pytest.param(CO, 'start: "09:30"', "start: 1030", "start: 1030",
                 ["read as the number 1030", 'start: "17:10"'], id="cohort-start-number"),
    pytest.param(CO, 'start: "09:30"', 'start: "25:00"', "start:", ["'25:00' is not a time", "HH:MM"],
                 id="cohort-start-bad-time"),
    pytest.param(CO, "date: 2027-03-14", "date: 14/03/2027", "date:", ["'14/03/2027' is not a date", "YYYY-MM-DD"],
                 id="cohort-bad-date"),
    pytest.param(CO, 'name: "Riverside Outreach - Spring cohort"\n', "", "agency:",
                 ["required field 'name' is missing"], id="cohort-missing-name"),
    pytest.param(CO, "agency:", 'id: "../x"\nagency:', "id:", ["'../x' is not a safe folder name", "lower-case"],
                 id="cohort-unsafe-id"),
    pytest.param(CO, "workshops: [mini]", "workshops: [minii]", "workshops:",
                 ["workshop 'minii' does not exist", "did you mean 'mini'"], id="cohort-unknown-workshop"),
    pytest.param(CO, "after: states", "after: stats", "breaks:",
                 ["breaks.mini[0].after", "break after 'stats'", "states"], id="cohort-break-unknown-module"),
    pytest.param(CO, "agency:", "modules: {mini: [welcome]}\nagency:", "modules:",
                 ["module 'welcome' is not part of workshop 'mini'", "states, close"], id="cohort-unknown-module"),
    pytest.param(CO, "agency:", "paper: a3\nagency:", "paper:", ["'a3' is not allowed", "'a4'"],
                 id="cohort-bad-paper"),
    pytest.param(CO, "agency:", "logo: logo.png\nagency:", "logo:",
                 ["logo file 'logo.png' was not found"], id="cohort-missing-logo"),
    pytest.param(CO, "agency:", 'binder: {repo: "not a repo"}\nagency:', "binder:",
                 ["is not OWNER/NAME"], id="cohort-bad-binder-repo"),
    pytest.param(CO, 'name: "Riverside', '%YAML 1.1\n---\nname: no\nx: "Riverside', "name: no",
                 ["name was read as false", "put it in quotes"], id="cohort-yaml11-name-no"),
]


def _line_of(text: str, marker: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if marker.rstrip("\n") in line:
            return number
    raise AssertionError(f"marker {marker!r} not in mutated file")


@pytest.mark.parametrize("file, old, new, marker, fragments", CASES)
def test_broken_input_is_refused_with_location_and_hint(kit_dir: Path, run_cli, file, old, new, marker, fragments):
    """Each broken file fails validation naming the file, the line, the field and a fix."""
    path = kit_dir / file
    if old is None:
        text = new
    else:
        original = path.read_text(encoding="utf-8")
        assert old in original, f"test case does not apply: {old!r}"
        text = original.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    args = ["validate", "--root", str(kit_dir)]
    if file.startswith("cohorts/"):
        args.append(str(path))
    result = run_cli(*args)
    assert "Traceback" not in result.err
    if not fragments:  # a case that must pass
        assert result.code == 0, result.err
        return
    assert result.code == 2, result.out
    location = f"{file}:{_line_of(text, marker)}" if not file.startswith("cohorts/") else f"{path}:{_line_of(text, marker)}"
    paragraphs = [p for p in result.err.split("\n\n") if location in p]
    assert paragraphs, f"no error at {location} in:\n{result.err}"
    assert any(all(f in p for f in fragments) for p in paragraphs), result.err
    assert "How to fix:" in result.err


def test_every_problem_is_reported_not_only_the_first(kit_dir: Path, run_cli):
    """Three independent mistakes in two files give three error paragraphs in one run."""
    ex = kit_dir / EX
    ex.write_text(ex.read_text().replace("bin: danger", "bin: threat").replace("correct: true", "correct: maybe"))
    ws = kit_dir / WS
    ws.write_text(ws.read_text().replace("minutes: 40", "minutes: 41"))
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 2
    assert "3 problem(s) found" in result.err
    for fragment in ("bin 'threat'", "expected true or false", "add up to 40"):
        assert fragment in result.err


def test_binary_garbage_is_a_clear_error(kit_dir: Path, run_cli):
    """A file that is not UTF-8 text is named and explained, not a crash."""
    (kit_dir / GL).write_bytes(b"\xff\xfe\x00garbage\x9c")
    result = run_cli("validate", "--root", str(kit_dir))
    assert result.code == 2
    assert "exercises/glossary.yaml: the file is not UTF-8 text" in result.err
    assert "Traceback" not in result.err


def test_not_a_kit_folder(tmp_path: Path, run_cli):
    """Running outside a kit folder says so and how to point at one."""
    result = run_cli("validate", "--root", str(tmp_path))
    assert result.code == 2
    assert "no 'exercises/' folder" in result.err and "--root" in result.err
