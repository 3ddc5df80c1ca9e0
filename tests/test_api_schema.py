"""The OpenAPI description at /api/schema/, its offline docs, and schemathesis's checks of the API against it.

Schemathesis runs in-process through Django's WSGI handler, with every default check: each response must be
documented (status, content type, headers, body schema), valid input accepted, invalid input refused, and
nothing answered with a 5xx.
"""

import json
import os
import re

import hypothesis
import pytest
import schemathesis
import yaml
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from budapest.api.schema_view import SchemaView
from budapest.wsgi import application

pytestmark = pytest.mark.django_db

# API_SCHEMA_EXPLORE=1: other examples (with pytest's --hypothesis-seed=N to repeat a run) and four times as
# many, to look for what the fixed examples miss (`ordering=,` was found so); the suite runs without it.
EXPLORE = os.environ.get("API_SCHEMA_EXPLORE") == "1"
GENERATION = {
    "max-examples": 100 if EXPLORE else 25,
    # The same examples every run, so that the suite passes or fails for a reason, not by chance.
    "deterministic": not EXPLORE,
    # The site refuses a NUL in any parameter with a 400 (see test_exact_input), which JSON Schema
    # cannot say of every string; schemathesis would count that refusal of "valid" data as a failure.
    "allow-x00": False,
    "database": "none",
}
CONFIG = SchemathesisConfig.from_dict({"generation": GENERATION, "cache": {"enabled": False}})
# Accepted writes are slower than refusals: fewer generated examples for the staff run.
STAFF_CONFIG = SchemathesisConfig.from_dict(
    {"generation": {**GENERATION, "max-examples": 10}, "cache": {"enabled": False}}
)

# Loaded when the tests are collected: describing the API reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)
staff_schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=STAFF_CONFIG)


@pytest.fixture
def in_process(settings):
    """No throttling in the way (429 is documented, but would hide the rest) and the test's connection kept open."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }
    cache.clear()
    # The WSGI handler closes the connection after each request, as in production; here that connection
    # holds the test's transaction, so it must stay open (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Schemathesis's WSGI transport asks for gzip but does not decode it (an HTTP client would): ask for none.
IDENTITY = {"Accept-Encoding": "identity"}

# The fixtures are set up once per operation, for all its examples, which is what is wanted here: reads
# change nothing, and refused writes change nothing either.
ONCE_PER_OPERATION = hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])


@schema.include(method="GET").parametrize()
@ONCE_PER_OPERATION
def test_reads_conform_to_the_schema(case, som_2020, in_process):
    case.call_and_validate(headers=IDENTITY)


@schema.exclude(method="GET").parametrize()
@ONCE_PER_OPERATION
def test_writes_conform_to_the_schema(case, in_process):
    # Anonymous, as schemathesis runs: every write must be refused with a documented 401, never accepted.
    case.call_and_validate(headers=IDENTITY)


@pytest.fixture
def document(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_description_is_made_once_per_language_and_format_and_echoes_nothing(client, monkeypatch):
    """Making it costs a quarter of a second: served again as made, never made again for what a request sends."""
    from drf_spectacular.generators import SchemaGenerator

    SchemaView._rendered.clear()
    made = []
    original = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, **kw: made.append(1) or original(self, **kw))
    first = client.get("/api/schema/")
    again = [client.get(f"/api/schema/?{query}") for query in ("", "version=zz", "x=1", "lang=en", "lang=EN")]
    assert len(made) == 1
    assert all(r.status_code == 200 and r.content == first.content for r in again)
    # A language the site has not is a 400, as everywhere in the API (test_translations), and makes nothing.
    assert [client.get(f"/api/schema/?lang={asked}").status_code for asked in ("xx", "../../etc")] == [400, 400]
    assert len(made) == 1
    assert b"zz" not in again[1].content and first["Content-Language"] == "en"
    assert first["Content-Type"].startswith("application/vnd.oai.openapi")
    as_json = client.get("/api/schema/?format=json")
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json") and len(made) == 2
    assert json.loads(as_json.content)["paths"] == yaml.safe_load(first.content)["paths"]
    for number in range(3):  # parameters of the Accept header are the client's: they make no other copy
        varied = client.get("/api/schema/", headers={"Accept": f"application/vnd.oai.openapi; x={number}"})
        assert varied.status_code == 200 and varied.content == first.content
    assert len(made) == 2 and len(SchemaView._rendered) == 2
    russian = client.get("/api/schema/?lang=ru")
    assert russian["Content-Language"] == "ru" and len(made) == 3
    etag = first["ETag"]
    assert client.get("/api/schema/", headers={"If-None-Match": etag}).status_code == 304


def test_schema_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate_schema(document)


def test_schema_lists_every_resource_and_the_export(document):
    assert set(document["paths"]) == {
        "/api/v1/meetings/",
        "/api/v1/meetings/{slug}/",
        "/api/v1/interventions/",
        "/api/v1/interventions/{id}/",
        "/api/v1/participations/",
        "/api/v1/participations/{id}/",
        "/api/v1/countries/",
        "/api/v1/countries/{iso_code}/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/people/",
        "/api/v1/people/{slug}/",
        "/api/v1/priority-goals/",
        "/api/v1/priority-goals/{number}/",
        "/api/v1/calls-for-action/",
        "/api/v1/calls-for-action/{slug}/",
        "/api/v1/export/popolo.json",
    }


def test_every_operation_documents_its_errors(document):
    for path, method, operation in operations(document):
        responses = set(operation["responses"])
        assert {"400", "401", "404", "406", "429"} <= responses, (method, path)
        assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)
        assert ("403" in responses) == (method != "get"), (method, path)
        assert ("412" in responses) == (method in ("put", "patch")), (method, path)
        assert ("304" in responses) == (method == "get"), (method, path)
        # A 409 only where the view refuses some writes: changes of a published meeting or of its participations.
        refuses = path.startswith(("/api/v1/meetings/{", "/api/v1/participations/"))
        assert ("409" in responses) == (method != "get" and refuses and (method, path) != ("post", "/api/v1/meetings/"))


def resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_write_body_refuses_fields_it_does_not_take(document):
    # ExactTypesMixin answers an unknown or read-only field with a 400: the description says so, for clients.
    writes = 0
    for path, method, operation in operations(document):
        if method in ("post", "put", "patch"):
            writes += 1
            for media, content in operation["requestBody"]["content"].items():
                body = resolve(document, content["schema"])
                assert body.get("additionalProperties") is False, (method, path, media)
                assert not any(field.get("readOnly") for field in body["properties"].values()), (method, path)
    assert writes == 15
    # Responses are not closed: a later version may add fields to what it answers.
    assert "additionalProperties" not in document["components"]["schemas"]["Country"]


def test_no_component_is_described_by_the_docstring_of_a_shared_mixin(document):
    # drf-spectacular describes a serializer by its docstring, inherited too: a write serializer without one
    # told partners "Runs the model's own validation …" (FullCleanMixin's words for developers).
    from budapest.api import serializers

    internal = {
        " ".join(mixin.__doc__.split())[:60]
        for mixin in (serializers.FullCleanMixin, serializers.ExactTypesMixin)
        if mixin.__doc__
    }
    described = {
        name: " ".join(c.get("description", "").split())[:60] for name, c in document["components"]["schemas"].items()
    }
    assert [name for name, text in described.items() if text and text in internal] == []


def test_reads_need_no_token_and_writes_do(document):
    for path, method, operation in operations(document):
        assert ({} in operation["security"]) == (method == "get"), (method, path)
        assert {"tokenAuth": []} in operation["security"], (method, path)


def test_lists_document_their_filters_csv_and_page_size(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/v1/interventions/"]["get"]["parameters"]}
    assert {"meeting", "country", "organisation", "goal", "year", "search", "ordering", "page", "page_size"} <= set(
        parameters
    )
    assert parameters["format"]["schema"]["enum"] == ["csv", "json"]
    assert parameters["ordering"]["schema"]["items"]["enum"] == ["-date", "date"]
    meetings = {p["name"] for p in document["paths"]["/api/v1/meetings/"]["get"]["parameters"]}
    assert {"year", "date_from", "date_to", "series", "country", "organisation", "role", "goal", "search"} <= meetings
    content = document["paths"]["/api/v1/countries/"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}


def test_docs_work_without_internet(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "the docs page loads no script or style at all"
    assert all(source.startswith("/static/") for source in sources), sources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    assert "/api/schema/" in html


@pytest.fixture
def staff_token(db):
    user = User.objects.create_user("schemathesis-staff", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["actors", "meetings"]))
    return Token.objects.create(user=user).key


@staff_schema.include(method=["POST", "PATCH"]).parametrize()  # PUT is PATCH with every field required
@ONCE_PER_OPERATION
def test_staff_writes_never_fail_and_answer_as_documented(case, som_2020, staff_token, in_process):
    # As staff, schema-valid bodies often name records that do not exist (a random series slug), which is
    # rightly a 400; so this run checks every default but positive_data_acceptance.
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}", **IDENTITY}, excluded_checks=[positive_data_acceptance]
    )


def test_every_operation_and_parameter_is_described_with_an_example(document):
    undocumented = []
    for path, method, operation in operations(document):
        if not operation.get("summary") or not operation.get("description"):
            undocumented.append(f"{method.upper()} {path}: summary or description")
        for parameter in operation.get("parameters", []):
            if not parameter.get("description") or "example" not in parameter:
                undocumented.append(f"{method.upper()} {path}: {parameter['in']} parameter {parameter['name']}")
    assert undocumented == []
    summaries = [operation["summary"] for _path, _method, operation in operations(document)]
    # Each says what it does, none repeats another: 32 since the Calls for Action (list and get) were added.
    assert len(summaries) == len(set(summaries)) == 32


def test_the_example_of_a_filter_finds_something(client, som_2020):
    # The documented examples are real values: "Try it out" in the documentation answers with records.
    response = client.get("/api/v1/interventions/", {"organisation": "UNODC"})
    assert response.status_code == 200 and response.json()["count"] >= 1


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_the_docs_page_answers_every_read_method_without_a_server_error(client, method):
    # OPTIONS rendered DRF's metadata with the page's template renderer and no template: a 500.
    response = getattr(client, method)("/api/docs/")
    assert response.status_code in (200, 405), response.status_code
