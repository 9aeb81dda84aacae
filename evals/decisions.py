"""Decision evaluation: load the JSONL contract, score a predictor, report.

Contract (DESIGN.md §3), one object a line::

    {"id": "d01", "situation": "free text", "expected": "rag", "acceptable": ["hybrid"]}

A prediction is correct when it equals ``expected`` or is in ``acceptable``.
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
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from advisor.schemas.decision import APPROACHES, Approach
from evals.jsonl import DatasetError, load_jsonl  # noqa: F401 - DatasetError is re-exported

INVALID = "invalid"  # column for predictions that are not one of the five labels


class DecisionCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    situation: str = Field(min_length=1)
    expected: Approach
    acceptable: tuple[Approach, ...] = ()

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


def evaluate(cases: Sequence[DecisionCase], predict: Callable[[str], str]) -> dict[str, Any]:
    """Run `predict` on every case and compute the metrics (prints nothing)."""
    if not cases:
        raise ValueError("no cases to evaluate")
    labels = list(APPROACHES)
    columns = [*labels, INVALID]
    matrix = {truth: dict.fromkeys(columns, 0) for truth in labels}
    misses: list[dict[str, Any]] = []
    correct = 0
    for case in cases:
        predicted = str(predict(case.situation))
        ok = case.accepts(predicted)
        correct += ok
        truth = predicted if ok else case.expected
        matrix[truth][predicted if predicted in labels else INVALID] += 1
        if not ok:
            misses.append(
                {
                    "id": case.id,
                    "expected": case.expected,
                    "acceptable": list(case.acceptable),
                    "predicted": predicted,
                    "situation": case.situation,
                }
            )
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
    return {
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
    }


SHORT = {"prompting": "prompt", "rag": "rag", "fine_tuning": "ft", "hybrid": "hybrid",
         "tool_calling": "tool", INVALID: "inval"}  # fmt: skip


def format_report(metrics: dict[str, Any]) -> str:
    """Human-readable summary: headline numbers, per-label table, confusion matrix, misses."""
    lines = [
        (
            f"decisions: n={metrics['n']}  accuracy={metrics['accuracy']:.3f}  "
            f"macro_f1={metrics['macro_f1']:.3f}"
        ),
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
    if metrics["misses"]:
        lines += ["", f"misses ({len(metrics['misses'])}):"]
        for miss in metrics["misses"]:
            text = " ".join(miss["situation"].split())
            text = text if len(text) <= 100 else text[:99] + "…"
            lines.append(
                f"  {miss['id']}: expected {miss['expected']}, got {miss['predicted']}  | {text}"
            )
    return "\n".join(lines)


def offline_predict(situation: str) -> str:
    """The offline pipeline's decision: extract the situation, then decide."""
    from advisor.decision import decide
    from advisor.extraction import extract_situation

    return decide(extract_situation(situation)).approach


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
        print(json.dumps({k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}))
    else:
        print(format_report(metrics))
    return 0 if metrics["accuracy"] >= args.threshold else 1


if __name__ == "__main__":
    raise SystemExit(main())
