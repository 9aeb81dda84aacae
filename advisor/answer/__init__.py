"""The answer side: what was asked (``question_type``), the conversation as received
(``conversation``), whether it is on topic at all (``coverage``), the passage sentences to
lead with (``lead``), the offline composer
(``compose``), the prompts and their context block (``prompts``), citation checks
(``citations``), the check a real model's answer passes (``check``) and the terminal
rendering (``render_text``).

May import: ``advisor.config``, ``advisor.schemas``, ``advisor.text``, ``advisor.knowledge``,
``advisor.search``, ``advisor.decision``, ``advisor.extraction``. Never ``llm``, the service or
the faces.
"""
