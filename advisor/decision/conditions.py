"""Declarative conditions the rule tables are written in.

A condition is evaluated over *facts*: a mapping from Situation field names (and,
for the warning/next-step/disagreement tables, ``"approach"``: the chosen
approach) to values, ``None`` meaning unknown. An unknown value never satisfies
`Is`, `In`, `AtLeast` or `Below`, so unknown is never silently treated as false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

Facts = Mapping[str, object]


class Condition(Protocol):
    def holds(self, facts: Facts) -> bool: ...

    def fields(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Is:
    field: str
    value: object

    def holds(self, facts: Facts) -> bool:
        actual = facts.get(self.field)
        return actual is not None and actual == self.value and type(actual) is type(self.value)

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.field} is {self.value}"


@dataclass(frozen=True)
class In:
    field: str
    values: frozenset[object]

    def __init__(self, field: str, values: object) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "values", frozenset(values))  # type: ignore[arg-type]

    def holds(self, facts: Facts) -> bool:
        actual = facts.get(self.field)
        return actual is not None and actual in self.values

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.field} in {sorted(map(str, self.values))}"


@dataclass(frozen=True)
class Known:
    field: str

    def holds(self, facts: Facts) -> bool:
        return facts.get(self.field) is not None

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.field} is known"


def _number(facts: Facts, field: str) -> float | None:
    value = facts.get(field)
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


@dataclass(frozen=True)
class AtLeast:
    field: str
    bound: float

    def holds(self, facts: Facts) -> bool:
        value = _number(facts, self.field)
        return value is not None and value >= self.bound

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.field} >= {self.bound:g}"


@dataclass(frozen=True)
class Below:
    field: str
    bound: float

    def holds(self, facts: Facts) -> bool:
        value = _number(facts, self.field)
        return value is not None and value < self.bound

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.field} < {self.bound:g}"


@dataclass(frozen=True)
class Between:
    """low <= value < high."""

    field: str
    low: float
    high: float

    def holds(self, facts: Facts) -> bool:
        value = _number(facts, self.field)
        return value is not None and self.low <= value < self.high

    def fields(self) -> frozenset[str]:
        return frozenset({self.field})

    def __str__(self) -> str:
        return f"{self.low:g} <= {self.field} < {self.high:g}"


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def __init__(self, *parts: Condition) -> None:
        object.__setattr__(self, "parts", parts)

    def holds(self, facts: Facts) -> bool:
        return all(part.holds(facts) for part in self.parts)

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def __str__(self) -> str:
        return " and ".join(f"({part})" for part in self.parts)


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def __init__(self, *parts: Condition) -> None:
        object.__setattr__(self, "parts", parts)

    def holds(self, facts: Facts) -> bool:
        return any(part.holds(facts) for part in self.parts)

    def fields(self) -> frozenset[str]:
        return frozenset().union(*(part.fields() for part in self.parts))

    def __str__(self) -> str:
        return " or ".join(f"({part})" for part in self.parts)


@dataclass(frozen=True)
class Not:
    part: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.part.holds(facts)

    def fields(self) -> frozenset[str]:
        return self.part.fields()

    def __str__(self) -> str:
        return f"not ({self.part})"


ALWAYS: Condition = All()
