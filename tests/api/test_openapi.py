"""The OpenAPI document and the docs page: public, complete, and within the reader CSP."""

import json

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/series": {"get", "post"},
    "/api/v1/series/{key}": {"get"},
    "/api/v1/series/{key}/snapshots": {"get", "post"},
    "/api/v1/imports": {"get", "post"},
    "/api/v1/imports/{run_id}": {"get"},
    "/api/v1/surveys/{page_id}/results": {"get"},
}


def test_openapi_document_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Vitrine API"
    assert {path: set(ops) for path, ops in document["paths"].items()} == PATHS
    schemes = document["components"]["securitySchemes"]
    assert {s["type"]: s["scheme"] for s in schemes.values()} == {"http": "bearer"}
    upload = document["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]
    assert set(upload["multipart/form-data"]["schema"]["properties"]) >= {"file", "format"}


def test_docs_page_loads_its_scripts_as_files_under_the_strict_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    html = response.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert 'src="/static/ninja/swagger-ui-init.js"' in html
    # The only inline script is a JSON data block, which browsers never execute.
    assert html.count("<script") == 3 and html.count('type="application/json"') == 1
    assert client.get("/static/ninja/swagger-ui-init.js").status_code == 200
