"""Every error, whatever raised it, has the same JSON shape."""

from __future__ import annotations

from api_helpers import assert_error
from fastapi.testclient import TestClient


def test_unknown_api_route_is_404_in_error_shape(client: TestClient) -> None:
    error = assert_error(client.get("/api/no-such-thing"), 404, "not_found")
    assert "/docs" in str(error["message"])


def test_wrong_method_is_405_in_error_shape(client: TestClient) -> None:
    response = client.delete("/api/health")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers.get("allow", "")


def test_validation_error_is_422_with_locations(client: TestClient) -> None:
    error = assert_error(client.get("/api/articles", params={"limit": "abc"}), 422,
                         "validation_error")
    assert error["detail"][0]["loc"] == ["query", "limit"]  # type: ignore[index]


def test_bad_enum_value_is_422(client: TestClient) -> None:
    assert_error(client.get("/api/articles", params={"sentiment": "euphoric"}), 422,
                 "validation_error")


def test_bad_as_of_is_422_naming_the_parameter(client: TestClient) -> None:
    error = assert_error(client.get("/api/ipos", params={"as_of": "yesterday"}), 422,
                         "validation_error")
    assert "as_of" in str(error["message"])


def test_bad_date_is_422(client: TestClient) -> None:
    error = assert_error(client.get("/api/movers", params={"date": "2025-13-45"}), 422,
                         "validation_error")
    assert "date" in str(error["message"])


def test_page_size_over_the_limit_is_refused(client: TestClient) -> None:
    error = assert_error(client.get("/api/articles", params={"limit": 51}), 422,
                         "validation_error")
    assert "50" in str(error["message"])


def test_unknown_article_is_404(client: TestClient) -> None:
    error = assert_error(client.get("/api/articles/tw-0000000000000000"), 404, "not_found")
    assert "tw-0000000000000000" in str(error["message"])


def test_unknown_security_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/stocks/NOSUCHCO"), 404, "not_found")


def test_missing_database_is_503(tmp_path: object) -> None:
    from pathlib import Path

    from tickerwire.app import create_app
    from tickerwire.settings import Settings

    assert isinstance(tmp_path, Path)
    app = create_app(Settings(db_path=tmp_path / "absent.db"))
    with TestClient(app, raise_server_exceptions=False) as fresh:
        error = assert_error(fresh.get("/api/articles"), 503, "no_database")
        assert "ingest" in str(error["message"])


def test_browser_pages_get_html_errors_api_gets_json(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert_error(client.get("/api/articles/nope"), 404, "not_found")


def test_unknown_security_lists_near_matches(client: TestClient) -> None:
    error = assert_error(client.get("/api/stocks/Bank"), 404, "not_found")
    candidates = error["detail"]["candidates"]  # type: ignore[index]
    assert candidates and all(c["listings"] for c in candidates)


def test_stock_page_error_links_near_matches(client: TestClient) -> None:
    page = client.get("/stock/Bank")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/stock/' in page.text
