"""Sort: place each item into a bin, check for per-item feedback and a count, try again."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from pvkit.content.models import Sort, SortBin, SortItem
from pvkit.widgets import Static
from pvkit.widgets.answers_bar import save_answers
from pvkit.widgets.html import esc, inline, paragraphs

__all__ = ["NOT_PLACED", "SortWidget", "live", "static"]

BOX = "\u2610"  # a box to tick on paper
RIGHT = '<span aria-hidden="true">\u2713</span> Right'
WRONG = '<span aria-hidden="true">\u2717</span> Not quite'
#: Dropdown value of an item that is not in any bin yet.
NOT_PLACED = ""


def _header(sort: Sort, cite: Any) -> str:
    """Title, prompt and the bins with their descriptions."""
    bins = "".join(f"<li><strong>{esc(b.label)}</strong>"
                   f"{': ' + inline(b.description, cite) if b.description else ''}</li>" for b in sort.bins)
    return (f'<h3 class="pv-title">{esc(sort.title)}</h3>{paragraphs(sort.prompt, cite)}'
            f'<p class="pv-bins-title"><strong>Bins:</strong></p><ul class="pv-bins">{bins}</ul>')


class _ItemView(w.VBox):
    """One item: a dropdown labelled with the item's text, and its feedback."""

    def __init__(self, item: SortItem, bins: tuple[SortBin, ...], cite: Any) -> None:
        self.item = item
        self.labels = {b.id: b.label for b in bins}
        self.cite = cite
        options = [("Not placed yet", NOT_PLACED), *((b.label, b.id) for b in bins)]
        self.dropdown = w.Dropdown(options=options, value=NOT_PLACED, description=item.text, tooltip=item.text,
                                   style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.feedback = w.HTML("")
        super().__init__([self.dropdown, self.feedback])
        self.add_class("pv-sort-item")

    @property
    def placed(self) -> str:
        """The bin id chosen, or ``NOT_PLACED``."""
        return str(self.dropdown.value)

    def check(self) -> bool:
        """Show this item's feedback; return whether it is in the right bin."""
        right_bin = esc(self.labels[self.item.bin])
        ok = self.placed == self.item.bin
        if ok:
            verdict = f"<strong>{RIGHT}:</strong> {right_bin}."
        elif self.placed == NOT_PLACED:
            verdict = f"<strong>Not placed yet.</strong> It belongs in <strong>{right_bin}</strong>."
        else:
            verdict = (f"<strong>{WRONG}:</strong> you chose {esc(self.labels[self.placed])}; "
                       f"it belongs in <strong>{right_bin}</strong>.")
        self.feedback.value = (f'<div class="pv-feedback" role="status"><p>{verdict} '
                               f"{inline(self.item.feedback, self.cite)}</p></div>")
        return ok

    def reset(self) -> None:
        """Take the item out of its bin and clear the feedback."""
        self.dropdown.value = NOT_PLACED
        self.feedback.value = ""


class SortWidget(w.VBox):
    """A sort: choose a bin for every item, check for feedback and a count; try again to start over."""

    def __init__(self, sort: Sort, session: Any = None) -> None:
        self.sort = sort
        self.session = session
        cite = session.cite if session is not None else None
        self.items = [_ItemView(item, sort.bins, cite) for item in sort.items]
        self.check_button = w.Button(description="Check", button_style="primary", icon="check")
        self.retry_button = w.Button(description="Try again", icon="refresh", disabled=True)
        self.score = w.HTML("")
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.retry())
        super().__init__([w.HTML(_header(sort, cite)), *self.items,
                          w.HBox([self.check_button, self.retry_button]), self.score])
        self.add_class("pv-exercise")
        self.add_class("pv-sort")

    def place(self, item_index: int, bin_id: str | None) -> None:
        """Put item ``item_index`` into bin ``bin_id`` (``None`` or ``""``: take it out)."""
        self.items[item_index].dropdown.value = bin_id or NOT_PLACED

    def check(self) -> int:
        """Show feedback for every item and the count; return how many are placed correctly."""
        right = sum(item.check() for item in self.items)
        total = len(self.items)
        self.score.value = (f'<p class="pv-score" role="status"><strong>{right} of {total} placed correctly'
                            f"</strong></p>")
        self.retry_button.disabled = False
        if self.session is not None and self.session.answers is not None:
            save_answers(self.session.answers, self.sort.id, {"score": right, "out_of": total})
        return right

    def retry(self) -> None:
        """Take every item out of its bin; clear the feedback and the count."""
        for item in self.items:
            item.reset()
        self.score.value = ""
        self.retry_button.disabled = True


def live(sort: Sort, session: Any) -> SortWidget:
    """The live face."""
    return SortWidget(sort, session)


def _table(sort: Sort) -> str:
    """Items as rows, bins as columns, a box to tick in every cell."""
    heads = "".join(f'<th scope="col">{esc(b.label)}</th>' for b in sort.bins)
    rows = "".join(
        f'<tr><th scope="row">{esc(item.text)}</th>'
        + "".join(f'<td class="pv-tick" aria-label="{esc(b.label)}">{BOX}</td>' for b in sort.bins)
        + "</tr>"
        for item in sort.items
    )
    return (f'<table class="pv-sort-table"><caption>{esc(sort.title)}: tick one box in each row</caption>'
            f'<thead><tr><th scope="col">Item</th>{heads}</tr></thead><tbody>{rows}</tbody></table>')


def static(sort: Sort, session: Any) -> Static:
    """A table to fill in; the key gives each item's bin and why."""
    cite = session.cite if session is not None else None
    labels = {b.id: b.label for b in sort.bins}
    learner = (f'<section class="pv-exercise pv-sort" aria-label="{esc(sort.title)}">{_header(sort, cite)}'
               f"{_table(sort)}</section>")
    keys = "".join(f"<li><strong>{esc(item.text)}</strong> \u2192 {esc(labels[item.bin])}: "
                   f"{inline(item.feedback, cite)}</li>" for item in sort.items)
    key = (f'<section class="pv-key pv-sort-key" aria-label="Answer key: {esc(sort.title)}">'
           f"<h4>Answer key: {esc(sort.title)}</h4><ol>{keys}</ol></section>")
    return Static(learner, key)
