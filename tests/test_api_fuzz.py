"""Property-based fuzzing of the JSON API from its own OpenAPI schema (in-process ASGI).

Every generated request (including malformed parameters) must get a response that is
not a 5xx and that matches the documented schema.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from conftest_web import write_db
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dateline.api import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# schemathesis parametrizes at collection time, so the database is built on import (in a
# temporary folder removed at exit); the schema is read from the app in-process.
_TMP = Path(tempfile.mkdtemp(prefix="dateline-fuzz-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(str(write_db(_TMP / "f.db"))))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_500(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.query)
    # Not every schema-valid string is valid FTS5 syntax: /api/search answers such queries
    # with a documented 400, so "valid request rejected" does not apply there.
    excluded = [positive_data_acceptance] if case.path == "/api/search" else []
    case.validate_response(response, excluded_checks=excluded)
