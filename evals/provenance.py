"""Who did the work in an eval run, and how long it took: the share of replies whose situation
was read (``extraction``) and whose answer was written (``composition``) by the model, the
offline parts, or the offline parts standing in for the model, and seconds per case.

So a team can run the same suite with its model and with the offline reader and compare them on
its own data: with a real model, a high ``extraction_offline_fallback`` share says the scores are
mostly the offline reader's.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from evals.metrics import percentile

SOURCES = ("llm", "offline", "offline_fallback")


@dataclass
class SourceTally:
    """Counts per source and the seconds of each case (a case may take several replies)."""

    extraction: Counter[str] = field(default_factory=Counter)
    composition: Counter[str] = field(default_factory=Counter)
    case_seconds: list[float] = field(default_factory=list)

    def record(self, extraction: str, composition: str | None = None) -> None:
        self.extraction[extraction] += 1
        if composition is not None:
            self.composition[composition] += 1

    def add_case(self, seconds: float) -> None:
        self.case_seconds.append(seconds)

    def add_to_case(self, seconds: float) -> None:
        """Another reply of the case being run."""
        if self.case_seconds:
            self.case_seconds[-1] += seconds
        else:
            self.case_seconds.append(seconds)

    def metrics(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, counts in (("extraction", self.extraction), ("composition", self.composition)):
            total = sum(counts.values())
            if total:
                for source in SOURCES:
                    out[f"{name}_{source}"] = round(counts[source] / total, 4)
        if self.case_seconds:
            out["seconds_per_case_mean"] = round(sum(self.case_seconds) / len(self.case_seconds), 3)
            out["seconds_per_case_p50"] = round(percentile(self.case_seconds, 50), 3)
            out["seconds_per_case_max"] = round(max(self.case_seconds), 3)
        return out


def format_tally(metrics: dict[str, Any]) -> str:
    lines = []
    for name in ("extraction", "composition"):
        shares = [f"{s} {metrics[f'{name}_{s}']:.0%}" for s in SOURCES if f"{name}_{s}" in metrics]
        if shares:
            lines.append(f"{name} by: " + ", ".join(shares))
    if "seconds_per_case_mean" in metrics:
        lines.append(
            f"seconds per case: mean {metrics['seconds_per_case_mean']:.2f}, "
            f"p50 {metrics['seconds_per_case_p50']:.2f}, max {metrics['seconds_per_case_max']:.2f}"
        )
    return "\n".join(lines)


class Progress:
    """A line per case on stderr (one updating line on a terminal); silent when ``show`` is
    false."""

    def __init__(self, total: int, label: str, *, show: bool, stream: TextIO | None = None
                 ) -> None:
        self.total, self.label, self.show = total, label, show
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()

    def step(self, detail: str) -> None:
        self.done += 1
        if not self.show:
            return
        elapsed = time.perf_counter() - self.started
        line = (f"{self.label}: {self.done}/{self.total}  {detail}  "
                f"({elapsed:.0f} s, {elapsed / self.done:.1f} s a case)")
        tty = self.stream.isatty()
        end = "\n" if not tty or self.done == self.total else ""
        print(("\r\033[K" if tty else "") + line, end=end, file=self.stream, flush=True)
