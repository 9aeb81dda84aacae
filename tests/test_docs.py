"""The README documents every setting (datasette-style docs test)."""

from __future__ import annotations

import re
from pathlib import Path

from advisor.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table() -> None:
    missing = [f"ADVISOR_{n.upper()}" for n in Settings.model_fields
               if f"| `ADVISOR_{n.upper()}` |" not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_readme_has_exactly_two_quickstart_commands() -> None:
    quick = README.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in quick.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(commands) == 2


ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PATH = re.compile(r"(?<![\w./~$-])((?:advisor|tests|evals|ui|benchmarks|scripts)/[\w./-]*\w)")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
GENERATED = {"evals/results/latest"}  # written by `advisor eval all`, not committed
DOTTED = re.compile(r"``?(advisor\.[a-z_]+(?:\.[a-z_]+)*)")


def test_every_path_the_docs_name_exists() -> None:
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for path in PATH.findall(text):
            path = path.split("::")[0]
            if "*" not in path and path not in GENERATED and not (ROOT / path).exists():
                stale.append(f"{page.name}: {path}")
        for link in LINK.findall(text):
            if "://" not in link and not (page.parent / link).exists():
                stale.append(f"{page.name}: link {link}")
    assert not stale, "\n".join(stale)


def test_every_module_the_docs_name_imports() -> None:
    stale = []
    for page in PAGES:
        for dotted in DOTTED.findall(page.read_text(encoding="utf-8")):
            parts = dotted.split(".")
            # the longest prefix that is a module or package; the rest may be attributes
            if not any((ROOT / Path(*parts[:n])).with_suffix(".py").exists()
                       or (ROOT / Path(*parts[:n]) / "__init__.py").exists()
                       for n in range(2, len(parts) + 1)):
                stale.append(f"{page.name}: {dotted}")
    assert not stale, "\n".join(stale)
