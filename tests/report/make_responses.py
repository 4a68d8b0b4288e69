"""Make a SYNTHETIC cohort of evaluation responses, for tests and demonstrations of ``pvkit report``.

SYNTHETIC DATA: every response is generated here from a fixed random seed.
No real learner wrote any of it, and every comment says so.

    python tests/report/make_responses.py OUT_DIR [--workshop intro] [--count 12] [--seed 8] [--csv]

writes ``OUT_DIR/synthetic-<workshop>-NN.json`` (one response file per learner, made
with the same code as the workbook's download), and with ``--csv`` also
``OUT_DIR/synthetic-<workshop>.csv`` holding the same responses in the CSV layout.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from pvkit.content.models import Kit
from pvkit.report.response import EvaluationForm, response_json

__all__ = ["make_responses", "to_csv", "write_responses"]

_BEST = [
    "SYNTHETIC: the cue audit of our waiting room.",
    "SYNTHETIC: behaviour first, state as a hypothesis.",
    "SYNTHETIC: the practice with a non-breath option.",
    "SYNTHETIC: hearing what is contested, not only what is claimed.",
    "SYNTHETIC: the case scenarios.",
]
_CHANGE = [
    "SYNTHETIC: more time for the case scenarios.",
    "SYNTHETIC: shorter theory section before the break.",
    "SYNTHETIC: send the workbook link the day before.",
    "SYNTHETIC: a longer lunch break.",
]


def make_responses(kit: Kit, workshop: str, count: int = 12, seed: int = 8) -> list[str]:
    """``count`` synthetic response files (JSON text) for ``workshop``'s evaluation; same seed, same files."""
    form = EvaluationForm.of(kit, workshop)
    if form is None:
        raise ValueError(f"workshop {workshop!r} has no evaluation exercise")
    e = form.evaluation
    rng = random.Random(seed)
    top_agree, top_conf = len(e.agreement), len(e.confidence)
    out = []
    for i in range(count):
        reactions = {r.id: rng.randint(max(1, top_agree - 2), top_agree) for r in e.reactions if rng.random() > 0.05}
        before: dict[str, int] = {}
        now: dict[str, int] = {}
        for o in form.objectives:
            if rng.random() < 0.1:
                continue  # left out, as real learners sometimes do
            b = rng.randint(1, max(1, top_conf - 2))
            before[o.id] = b
            now[o.id] = min(top_conf, b + rng.randint(0, 2))
        comments: dict[str, str] = {}
        for n, field in enumerate(e.comments):
            if rng.random() < 0.75:
                comments[field.id] = rng.choice(_CHANGE if n % 2 else _BEST)
        knowledge: Optional[dict[str, int]] = None
        if e.knowledge_check and rng.random() < 0.85:
            knowledge = {"score": rng.randint(form.quiz_questions // 2, form.quiz_questions),
                         "out_of": form.quiz_questions}
        answers: dict[str, Any] = {"reactions": reactions, "before": before, "now": now, "comments": comments}
        out.append(response_json(e, form.objectives, answers, knowledge, f"synthetic-{seed}-{i:02d}"))
    return out


def to_csv(form: EvaluationForm, texts: Sequence[str]) -> str:
    """The same responses in the CSV layout (one row each; empty cells for unanswered items)."""
    columns = form.csv_columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for text in texts:
        data = json.loads(text)
        row = {"workshop": data["workshop"], "response_id": data["response_id"]}
        row.update({f"reaction.{k}": v for k, v in data["reactions"].items()})
        for oid, pair in data["objectives"].items():
            row.update({f"{when}.{oid}": v for when, v in pair.items()})
        if "knowledge_check" in data:
            row["knowledge.score"] = data["knowledge_check"]["score"]
            row["knowledge.out_of"] = data["knowledge_check"]["out_of"]
        row.update({f"comment.{k}": v for k, v in data["comments"].items()})
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def write_responses(kit: Kit, workshop: str, out_dir: Path, count: int = 12, seed: int = 8,
                    with_csv: bool = False) -> list[Path]:
    """Write the synthetic JSON files (and optionally the CSV) into ``out_dir``; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = make_responses(kit, workshop, count, seed)
    paths = []
    for i, text in enumerate(texts, start=1):
        path = out_dir / f"synthetic-{workshop}-{i:02d}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    if with_csv:
        form = EvaluationForm.of(kit, workshop)
        assert form is not None
        path = out_dir / f"synthetic-{workshop}.csv"
        path.write_text(to_csv(form, texts), encoding="utf-8", newline="")
        paths.append(path)
    return paths


def main(argv: Optional[Sequence[str]] = None) -> int:
    from pvkit.kitfolder import load_kit

    parser = argparse.ArgumentParser(description="Write SYNTHETIC evaluation responses (never real data).")
    parser.add_argument("out", type=Path)
    parser.add_argument("--workshop", default="intro")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--csv", action="store_true", help="also write the same responses as one CSV file")
    parser.add_argument("--root", type=Path, default=None, help="the kit folder (default: found from here)")
    args = parser.parse_args(argv)
    paths = write_responses(load_kit(args.root), args.workshop, args.out, args.count, args.seed, args.csv)
    print(f"wrote {len(paths)} SYNTHETIC file(s) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
