"""The run sheet: clock times from a start time, module minutes and breaks (stdlib only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from pvkit.content.models import Workshop

__all__ = ["AgendaRow", "run_sheet"]


@dataclass(frozen=True)
class AgendaRow:
    """One line of the run sheet: a module or a break."""

    start: str
    end: str
    minutes: int
    title: str
    module_id: str = ""  # empty for a break

    @property
    def is_break(self) -> bool:
        """True for a break row."""
        return not self.module_id


def run_sheet(
    workshop: Workshop,
    start: str = "09:00",
    modules: Sequence[str] = (),
    breaks: Iterable[Mapping[str, object]] = (),
) -> list[AgendaRow]:
    """Return the run sheet rows for ``workshop``.

    ``modules`` is a subset of module ids (empty: all), kept in the workshop's
    order; ``breaks`` are ``{"after": module_id, "minutes": n}`` mappings.
    """
    hours, minutes = (int(part) for part in start.split(":"))
    clock = dt.datetime(2000, 1, 1, hours, minutes)
    after: dict[str, int] = {}
    for brk in breaks:
        after[str(brk["after"])] = after.get(str(brk["after"]), 0) + int(brk["minutes"])  # type: ignore[call-overload]
    rows = []
    for module in workshop.modules:
        if modules and module.id not in modules:
            continue
        end = clock + dt.timedelta(minutes=module.minutes)
        rows.append(AgendaRow(f"{clock:%H:%M}", f"{end:%H:%M}", module.minutes, module.title, module.id))
        clock = end
        if module.id in after:
            end = clock + dt.timedelta(minutes=after[module.id])
            rows.append(AgendaRow(f"{clock:%H:%M}", f"{end:%H:%M}", after[module.id], "Break"))
            clock = end
    return rows
