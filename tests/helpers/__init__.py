"""Helpers shared by the server tests (real subprocesses on 127.0.0.1, stopped by PID)."""
