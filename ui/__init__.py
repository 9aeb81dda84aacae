"""The web chat page, built from an Advisor: ``build_demo(advisor, feedback) -> gr.Blocks``.

Presentation only: every answer, citation and recommendation comes from the Advisor service.
``build_demo`` is imported on first use, so ``ui.render`` (pure functions) loads without Gradio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.app import build_demo

__all__ = ["build_demo"]


def __getattr__(name: str) -> Any:
    if name == "build_demo":
        from ui.app import build_demo

        return build_demo
    raise AttributeError(f"module 'ui' has no attribute {name!r}")
