"""Decision evaluation: load the JSONL contract, score a predictor, report.

Contract (DESIGN.md §3), one object a line::

    {"id": "d01", "situation": "free text", "expected": "rag", "acceptable": ["hybrid"],
     "facts": {"needs_private_knowledge": true, "knowledge_size": "large"}}

A prediction is correct when it equals ``expected`` or is in ``acceptable``. ``facts``
(optional) is the `Situation` a careful reader takes from the text; with it the
eval also scores the decision tool alone on those facts (``facts_accuracy`` over
``facts_n`` rows) and the reader against them (``reading``: per field, how often the
extracted value agrees where the facts set the field, and how often the reader set a
field the facts leave unknown; ``reading_accuracy`` is the agreement over all set
fields). ``extras_accuracy`` decides each such row from its facts plus the fields the reader
set and the facts leave unknown (the reader's extra reads): the gap to ``facts_accuracy`` is
what those extras cost the rules, whether they are misreads or true facts the rules weigh
too heavily; ``extras_flips`` counts, per field, the rows where that one extra field alone
changes the decision. Any other key (``source``, ``note``, ...) is metadata, kept in the
per-case output.
Metrics: accuracy, macro-F1 over the five labels, per-label precision/recall/F1,
confusion matrix, and the misses. For the per-label counts a correct prediction
counts as its own label (so an accepted alternative is a true positive, not a
false positive); a wrong one counts against ``expected``. Labels with no support
and no predictions score 0 (sklearn's ``zero_division=0``), so macro-F1 is always
the mean over all five labels.

``evaluate`` prints nothing; ``format_report`` renders a human-readable table.
``python -m evals.decisions --dataset FILE`` runs the offline pipeline
(extract_situation then decide) for a quick check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.schemas.decision import APPROACHES, Approach, Situation
from evals.jsonl import DatasetError, load_jsonl  # noqa: F401 - DatasetError is re-exported
from evals.reading import compare
from evals.reading import score as score_reading

INVALID = "invalid"  # column for predictions that are not one of the five labels


class DecisionCase(BaseModel):
    # Unknown keys are metadata (source, note, ...): kept, never an error.
    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(min_length=1)
    situation: str = Field(min_length=1)
    expected: Approach
    acceptable: tuple[Approach, ...] = ()
    facts: Situation | None = None

    @field_validator("facts", mode="before")
    @classmethod
    def _known_fields(cls, value: Any) -> Any:
        if isinstance(value, dict):
            names = set(Situation.model_fields) | {
                f.validation_alias for f in Situation.model_fields.values()
                if isinstance(f.validation_alias, str)
            }
            unknown = sorted(set(value) - names)
            if unknown:
                raise ValueError(f"unknown Situation field(s): {', '.join(unknown)}")
        return value

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    @field_validator("situation")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    def accepts(self, prediction: str) -> bool:
        return prediction == self.expected or prediction in self.acceptable


def load_cases(path: str | Path) -> list[DecisionCase]:
    """Read and validate a decision JSONL file.

    Raises `DatasetError` (a ValueError) naming the file and line for bad JSON, a
    line that is not an object, a missing/unknown field, a label outside the five,
    duplicate ids, or an empty file; FileNotFoundError if the file is missing.
    Blank lines are skipped.
    """
    return load_jsonl(path, DecisionCase)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class Prediction:
    """What a predictor returns: the approach, and the situation it read (when it has one)."""

    approach: str
    situation: Situation | None = None


Predictor = Callable[[str], "str | Prediction"]


def _as_prediction(value: str | Prediction) -> Prediction:
    return value if isinstance(value, Prediction) else Prediction(str(value))


def evaluate(
    cases: Sequence[DecisionCase],
    predict: Predictor,
    decide_facts: Callable[[Situation], str] | None = None,
) -> dict[str, Any]:
    """Run `predict` on every case and compute the metrics (prints nothing).

    Rows with ``facts`` are also decided from those facts alone (``decide_facts``,
    by default `advisor.decision.decide`), and, when the predictor reports the
    situation it read, that reading is compared with them field by field.
    """
    if not cases:
        raise ValueError("no cases to evaluate")
    if decide_facts is None:
        from advisor.decision import decide

        def decide_facts(facts: Situation) -> str:
            return decide(facts).approach

    labels = list(APPROACHES)
    columns = [*labels, INVALID]
    matrix = {truth: dict.fromkeys(columns, 0) for truth in labels}
    misses: list[dict[str, Any]] = []
    per_case: list[dict[str, Any]] = []
    readings: list[dict[str, Any]] = []
    correct = facts_n = facts_correct = extras_n = extras_correct = 0
    flips: dict[str, int] = {}
    for case in cases:
        prediction = _as_prediction(predict(case.situation))
        predicted = prediction.approach
        ok = case.accepts(predicted)
        correct += ok
        truth = predicted if ok else case.expected
        matrix[truth][predicted if predicted in labels else INVALID] += 1
        row: dict[str, Any] = {
            "id": case.id, "expected": case.expected, "acceptable": list(case.acceptable),
            "predicted": predicted, "correct": ok,
        }
        if case.facts is not None:
            from_facts = decide_facts(case.facts)
            facts_n += 1
            facts_correct += case.accepts(from_facts)
            row["from_facts"] = from_facts
            row["from_facts_correct"] = case.accepts(from_facts)
            if prediction.situation is not None:
                row["reading"] = compare(case.facts, prediction.situation)
                readings.append(row["reading"])
                extras = row["reading"]["spurious"]
                with_extras = decide_facts(case.facts.model_copy(update=extras))
                extras_n += 1
                extras_correct += case.accepts(with_extras)
                row["from_facts_and_extras"] = with_extras
                for name, value in extras.items():  # which single extra field moves the decision
                    if decide_facts(case.facts.model_copy(update={name: value})) != from_facts:
                        flips[name] = flips.get(name, 0) + 1
        row.update(case.metadata)
        per_case.append(row)
        if not ok:
            misses.append({**row, "situation": case.situation})
    per_label: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = matrix[label][label]
        support = sum(matrix[label].values())
        predicted_as = sum(matrix[truth][label] for truth in labels)
        precision, recall = _ratio(tp, predicted_as), _ratio(tp, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    n = len(cases)
    out: dict[str, Any] = {
        "n": n,
        "accuracy": round(correct / n, 4),
        "macro_f1": round(sum(m["f1"] for m in per_label.values()) / len(labels), 4),
        "correct": correct,
        "per_label": per_label,
        "confusion": {
            "labels": labels,
            "columns": columns,
            "matrix": [[matrix[truth][col] for col in columns] for truth in labels],
        },
        "misses": misses,
        "per_case": per_case,
    }
    if facts_n:
        out["facts_n"] = facts_n
        out["facts_accuracy"] = round(facts_correct / facts_n, 4)
    if readings:
        out.update(score_reading(readings))
    if extras_n:
        out["extras_accuracy"] = round(extras_correct / extras_n, 4)
        out["extras_flips"] = dict(sorted(flips.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


SHORT = {"prompting": "prompt", "rag": "rag", "fine_tuning": "ft", "hybrid": "hybrid",
         "tool_calling": "tool", INVALID: "inval"}  # fmt: skip


def format_report(metrics: dict[str, Any]) -> str:
    """Human-readable summary: headline numbers, per-label table, confusion matrix, misses."""
    head = (
        f"decisions: n={metrics['n']}  accuracy={metrics['accuracy']:.3f}  "
        f"macro_f1={metrics['macro_f1']:.3f}"
    )
    if "facts_accuracy" in metrics:
        head += f"  facts_accuracy={metrics['facts_accuracy']:.3f} (n={metrics['facts_n']})"
    if metrics.get("reading_accuracy") is not None:
        head += f"  reading_accuracy={metrics['reading_accuracy']:.3f}"
    if "extras_accuracy" in metrics:
        head += f"  extras_accuracy={metrics['extras_accuracy']:.3f}"
    lines = [
        head,
        "",
        f"{'label':<14}{'precision':>10}{'recall':>9}{'f1':>8}{'support':>9}",
    ]
    for label, m in metrics["per_label"].items():
        lines.append(
            f"{label:<14}{m['precision']:>10.3f}{m['recall']:>9.3f}{m['f1']:>8.3f}{m['support']:>9}"
        )
    confusion = metrics["confusion"]
    lines += ["", "confusion (rows: expected, columns: predicted)"]
    lines.append(" " * 14 + "".join(f"{SHORT[c]:>8}" for c in confusion["columns"]))
    for label, row in zip(confusion["labels"], confusion["matrix"], strict=True):
        lines.append(f"{label:<14}" + "".join(f"{v:>8}" for v in row))
    if metrics.get("reading"):
        lines += ["", "reading against the given facts (set: rows whose facts set the field; "
                  "spurious: read where the facts say nothing)",
                  f"{'field':<28}{'agree':>7}{'set':>6}{'accuracy':>10}{'spurious':>10}"]
        for name, f in metrics["reading"].items():
            acc = "-" if f["accuracy"] is None else f"{f['accuracy']:.3f}"
            lines.append(f"{name:<28}{f['agree']:>7}{f['n']:>6}{acc:>10}{f['spurious']:>10}")
    if metrics.get("extras_flips"):
        flips = ", ".join(f"{k} {v}" for k, v in metrics["extras_flips"].items())
        lines += ["", "extra fields the reader set that alone change the decision on the given "
                  f"facts (cases): {flips}"]
    if metrics["misses"]:
        lines += ["", f"misses ({len(metrics['misses'])}):"]
        for miss in metrics["misses"]:
            text = " ".join(miss["situation"].split())
            text = text if len(text) <= 100 else text[:99] + "…"
            facts = f" (from facts: {miss['from_facts']})" if "from_facts" in miss else ""
            lines.append(
                f"  {miss['id']}: expected {miss['expected']}, got {miss['predicted']}{facts}"
                f"  | {text}"
            )
    facts_misses = [c for c in metrics.get("per_case", []) if c.get("from_facts_correct") is False]
    if facts_misses:
        lines += ["", f"decided wrongly from the given facts ({len(facts_misses)}):"]
        for c in facts_misses:
            lines.append(f"  {c['id']}: expected {c['expected']}, from facts {c['from_facts']}")
    return "\n".join(lines)


def offline_predict(situation: str) -> Prediction:
    """The offline pipeline's decision: extract the situation, then decide."""
    from advisor.decision import decide
    from advisor.extraction import extract_situation

    read = extract_situation(situation)
    return Prediction(decide(read).approach, read)


def flat_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """The scalar metrics (what ``--json`` prints)."""
    return {k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Offline decision eval (extract + decide).")
    parser.add_argument(
        "--dataset", type=Path, default=Path(__file__).parent / "datasets" / "decisions.jsonl"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--threshold", type=float, default=0.0, help="exit 1 when accuracy is below this"
    )
    args = parser.parse_args(argv)
    metrics = evaluate(load_cases(args.dataset), offline_predict)
    if args.json:
        print(json.dumps(flat_metrics(metrics)))
    else:
        print(format_report(metrics))
    return 0 if metrics["accuracy"] >= args.threshold else 1


if __name__ == "__main__":
    raise SystemExit(main())
