"""The production request log: path, status, duration and the user's id, never personal data
(no query string, no username), and exceptions without their message."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from fastapi.testclient import TestClient
from web_support import World, login

from werkpad.web.app import create_app
from werkpad.web.request_log import JsonLinesFormatter, RequestLog, log_config


def test_request_log_has_path_status_and_user_id_but_no_search_terms_or_username(
    world_sqlite: World, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(world_sqlite.url, secret_key="test-secret", secure_cookies=False)
    app.add_middleware(RequestLog)
    with TestClient(app) as client:
        login(client, world_sqlite.users["km"])
        with caplog.at_level(logging.INFO, logger="werkpad.request"):
            assert client.get("/caseload", params={"q": "Zwart"}).status_code == 200
    app.state.engine.dispose()
    record = next(r for r in caplog.records if r.name == "werkpad.request")
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["path"] == "/caseload"
    assert line["status"] == 200
    assert line["user_id"] == world_sqlite.km_a_id
    assert line["method"] == "GET" and line["duration_ms"] >= 0
    for text in (JsonLinesFormatter().format(record), record.getMessage()):
        assert "Zwart" not in text and "q=" not in text
        assert world_sqlite.users["km"] not in text


def test_json_lines_show_the_type_and_stack_of_an_exception_but_not_its_message() -> None:
    # Built apart from the raise: the stack quotes source lines, which never hold data.
    bsn, name = "1234" + "56782", "Jan" + "sen"
    try:
        raise ValueError(f"BSN {bsn} van {name}")
    except ValueError:
        record = logging.LogRecord(
            "uvicorn.error",
            logging.ERROR,
            __file__,
            1,
            "Exception in ASGI application",
            (),
            sys.exc_info(),
        )
    line = JsonLinesFormatter().format(record)
    parsed = json.loads(line)
    assert parsed["exception"] == "ValueError" and "test_web_request_log.py" in parsed["stack"]
    assert "123456782" not in line and "Jansen" not in line


def test_log_config_switches_off_uvicorns_access_log_that_prints_query_strings() -> None:
    config = log_config("json")
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
    assert config["loggers"]["uvicorn.access"]["handlers"] == []
    with pytest.raises(ValueError):
        log_config("xml")
