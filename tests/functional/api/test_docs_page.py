"""The API reference page (/api/v1/docs): made from the generated document, whole, and CSP-safe."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from app.web.headers import CONTENT_SECURITY_POLICY


def test_the_reference_lists_every_operation_of_the_document_without_a_token(api: FlaskClient) -> None:
    document = api.get("/openapi.json").json
    page = api.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Set-Cookie" not in page.headers
    html = page.get_data(as_text=True)
    operations = [
        (method.upper(), path, spec["operationId"])
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]
    assert len(operations) >= 10
    for method, path, operation_id in operations:
        # Each operation is a section of its own, named by its id, showing its method and path.
        section = re.search(rf'<article id="{operation_id}".*?</article>', html, re.S)
        assert section is not None, operation_id
        assert method in section.group(0) and f'<code class="api-path">{path}</code>' in section.group(0)
    for name in document["components"]["schemas"]:
        assert f'id="model-{name}"' in html, name
    # The limits a client must keep are shown from the models, in words.
    statement_body = re.search(r'id="model-StatementBody".*?</section>', html, re.S)
    assert statement_body is not None and "at most 500 characters" in statement_body.group(0)


def test_the_reference_runs_under_the_strict_csp_with_nothing_from_elsewhere(api: FlaskClient) -> None:
    page = api.get("/docs")
    html = page.get_data(as_text=True)
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "<script" not in html and " style=" not in html and "<style" not in html
    # Every stylesheet, icon and link is our own (no CDN): relative paths or anchors only.
    assert not re.search(r'(href|src)="(https?:)?//', html)
    assert 'href="/api/v1/openapi.json"' in html or 'href="/openapi.json"' in html


def test_the_token_page_links_to_the_reference(allocated_worker: FlaskClient) -> None:
    page = allocated_worker.get("/account/tokens")
    assert page.status_code == 200
    assert 'href="/api/v1/docs"' in page.get_data(as_text=True)
