"""The served app in-process: the Gradio page mounted at / next to the API, and the page behind
the API key when reads need it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from helpers.apps import API_KEY, settings_for

from advisor.api.server import build_app
from advisor.service import Advisor


def test_page_at_root_api_keeps_its_routes(data_dir: Path, advisor: Advisor) -> None:
    from ui import build_demo

    with TestClient(build_app(settings_for(data_dir), build_demo, advisor)) as c:
        page = c.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert c.get("/config").status_code == 200
        assert c.get("/v1/nothing").json()["error"]["code"] == "not_found"
        assert c.get("/v1/ask").json()["error"]["code"] == "method_not_allowed"
        assert c.get("/readyz").json()["status"] == "ready"
        assert "swagger" in c.get("/docs").text.lower()
        paths = c.get("/openapi.json").json()["paths"]
        assert all(p.startswith("/v1/") or p in ("/healthz", "/readyz") for p in paths)


def test_page_needs_the_key_when_reads_do(data_dir: Path, advisor: Advisor) -> None:
    from ui import build_demo

    settings = settings_for(data_dir, api_key=API_KEY, require_key_for_reads=True)
    with TestClient(build_app(settings, build_demo, advisor)) as c:
        assert c.get("/config").status_code == 401
        assert c.post("/login", data={"username": "me", "password": "wrong"}).status_code == 400
        assert c.post("/login", data={"username": "me", "password": API_KEY}).status_code == 200
        assert c.get("/config").status_code == 200
        assert c.get("/v1/documents").status_code == 401, "the API still wants the bearer key"


def test_wrong_passwords_at_the_pages_login_are_throttled(data_dir: Path, advisor: Advisor) -> None:
    from ui import build_demo

    settings = settings_for(data_dir, api_key=API_KEY, require_key_for_reads=True,
                            auth_failures_per_minute=3)
    with TestClient(build_app(settings, build_demo, advisor)) as c:
        for _ in range(3):
            assert c.post("/login", data={"username": "me", "password": "guess"}).status_code == 400
        r = c.post("/login", data={"username": "me", "password": API_KEY})
        assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_auth_failures"
        assert int(r.headers["retry-after"]) > 0
        r = c.get("/v1/documents", headers={"Authorization": f"Bearer {API_KEY}"})
        assert r.status_code == 429, "one budget of wrong keys per client, page and API"
