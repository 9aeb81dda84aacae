"""The advisor: prompting, RAG, fine-tuning, hybrid or tool calling, grounded in cited articles.

Importing the package sets the offline defaults before any hub-aware library is imported:
nothing is fetched from a model hub unless the user turns ``ADVISOR_HF_OFFLINE`` off.
"""

from __future__ import annotations

import os

__version__ = "0.1.0"

if os.environ.get("ADVISOR_HF_OFFLINE", "true").strip().lower() not in {"0", "false", "no", "off"}:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
