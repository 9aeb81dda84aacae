"""The typed pydantic models every layer shares: situation and recommendation (``decision``), replies
and messages (``reply``), passages (``retrieval``), feedback (``feedback``).

May import: nothing else of ``advisor``.
"""
