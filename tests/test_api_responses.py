"""Every response the OpenAPI description documents, triggered as a partner's script would meet it.

The test walks the description: for each operation and each status it lists, a request known to cause that
status is sent, and the answer must have that status, the documented headers and a body of the documented
shape. A status the description gains with no way here to cause it fails the walk, so nothing is documented
that no test has seen. The success of a write (200, 201) is left to the tests that write real records
(test_api_access, test_exact_input): a valid body differs per resource and is no edge case.
"""

import pytest
import yaml
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from meetings.models import Meeting

from .conftest import SOM_2020_SLUG
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db

WRITE_SUCCESS = {("post", "201"), ("put", "200"), ("patch", "200")}


@pytest.fixture
def description(client):
    return yaml.safe_load(client.get("/api/schema/").content)


@pytest.fixture
def staff(db):
    user = User.objects.create_user("responses-staff", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["actors", "meetings"]))
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def partner(db):
    return {"Authorization": f"Token {Token.objects.create(user=User.objects.create_user('responses-partner')).key}"}


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    cache.clear()


def address(path: str, operation: dict, *, missing: bool = False) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            value = "99999" if missing and parameter["schema"].get("type") == "integer" else parameter["example"]
            if missing and parameter["schema"].get("type") != "integer":
                value = "no-such-record"
            path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


def draft_2020():
    """The 2020 meeting as a draft: its fields and participations may then be changed through the API."""
    Meeting.objects.filter(slug=SOM_2020_SLUG).update(status=Meeting.Status.DRAFT, published_at=None)


class Walk:
    def __init__(self, client, staff, partner, settings):
        self.client, self.staff, self.partner, self.settings = client, staff, partner, settings

    def send(self, method, url, headers=None, body=None, query=None):
        kwargs = {"headers": headers or {}}
        if method in ("post", "put", "patch"):
            kwargs.update(data=body if body is not None else {}, content_type="application/json")
            if query:
                url = f"{url}?{query}"
        elif query:
            url = f"{url}?{query}"
        return getattr(self.client, method)(url, **kwargs)

    def trigger(self, path, method, operation, status):
        url = address(path, operation)
        reading = method == "get"
        if status == "200" and reading:
            return self.send(method, url)
        if status == "304":
            etag = self.send(method, url)["ETag"]
            return self.send(method, url, {"If-None-Match": etag})
        if status == "400":
            if reading:
                return self.send(method, url, query="page_size=0" if path.endswith("s/") else "note=%00")
            if path.startswith(("/api/v1/meetings/{", "/api/v1/participations/{")):
                draft_2020()
            return self.send(method, url, self.staff, {"no_such_field": 1})
        if status == "401":
            return self.send(method, url, {"Authorization": "Token not-a-token"})
        if status == "403":
            return self.send(method, url, self.partner, {})
        if status == "404":
            if "{" in path:
                return self.send(method, address(path, operation, missing=True), self.staff, {})
            return self.send(method, url, self.staff, {}, query="format=xml")
        if status == "406":
            return self.send(method, url, {**self.staff, "Accept": "application/xml"}, {})
        if status == "409":
            if method == "post":  # a participation added to the published 2020 meeting
                meeting = {"meeting": SOM_2020_SLUG, "actor": OrganisationFactory().slug, "role": "participant"}
                return self.send(method, url, self.staff, meeting)
            return self.send(method, url, self.staff, {})
        if status == "412":
            draft_2020()
            return self.send(method, url, {**self.staff, "If-Match": '"stale"'}, {})
        if status == "429":
            self.settings.REST_FRAMEWORK = {
                **self.settings.REST_FRAMEWORK,
                "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "partner": "1/minute"},
            }
            headers = {} if reading else self.staff
            for _ in range(3):
                response = self.send(method, url, headers, {"no_such_field": 1})
                if response.status_code == 429:
                    return response
            return response
        return None


def check_shape(description, documented: dict, response):
    for header in documented.get("headers", {}):
        assert response.has_header(header), header
    content = documented.get("content")
    if not content:
        assert response.content == b""
        return
    if "application/json" not in content:
        return
    assert response["Content-Type"].startswith("application/json")
    schema = content["application/json"]["schema"]
    body = response.json()
    if "$ref" in schema:
        component = description["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        if set(component.get("required", [])) == {"detail"}:  # ErrorSerializer
            assert set(body) == {"detail"} and isinstance(body["detail"], str), body
    elif schema.get("additionalProperties") == {}:  # messages per field, or one detail
        assert isinstance(body, dict) and body, body
        assert all(isinstance(messages, (list, str, dict)) for messages in body.values()), body


@pytest.fixture
def walk(client, staff, partner, settings):
    return Walk(client, staff, partner, settings)


def test_every_documented_response_is_met_as_documented(description, walk, som_2020):
    seen, untriggered = [], []
    published = {"status": som_2020.status, "published_at": som_2020.published_at}
    for path, methods in description["paths"].items():
        for method, operation in methods.items():
            for status, documented in operation["responses"].items():
                if (method, status) in WRITE_SUCCESS:
                    continue
                Meeting.objects.filter(slug=SOM_2020_SLUG).update(**published)
                cache.clear()
                walk.settings.REST_FRAMEWORK = {
                    **walk.settings.REST_FRAMEWORK,
                    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
                }
                response = walk.trigger(path, method, operation, status)
                if response is None:
                    untriggered.append((method, path, status))
                    continue
                where = (method.upper(), path, status)
                assert str(response.status_code) == status, (*where, response.status_code, response.content[:300])
                check_shape(description, documented, response)
                seen.append(where)
    assert untriggered == []
    assert len(seen) > 200


def test_every_method_the_description_does_not_list_is_a_405_that_says_what_is(
    description, client, staff, som_2020, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }
    # 405 is documented once, in docs/api.md, not per operation: an undocumented method has no operation.
    for path, methods in description["paths"].items():
        operation = next(iter(methods.values()))
        url = address(path, operation)
        listed = {method.upper() for method in methods} | {"HEAD"}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - listed:
            response = getattr(client, method.lower())(url, headers=staff)
            assert response.status_code == 405, (method, path, response.status_code)
            allowed = {name.strip() for name in response["Allow"].split(",")}
            assert allowed - {"OPTIONS"} == listed, (method, path, response["Allow"])
            assert response.json()["detail"] == f'Method "{method}" not allowed.'
            if "OPTIONS" in allowed:  # what Allow lists is answered
                assert client.options(url).status_code == 200, path
