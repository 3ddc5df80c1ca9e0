"""Compressed responses: public pages gzip-compressed, never a response that may carry a secret (BREACH)."""

import gzip

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_public_page_is_compressed_and_says_it_varies(client, som_2020):
    response = client.get(som_2020.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "Spain" in html and len(response.content) < len(html.encode()) / 4
    # The same page to a client that asks for no compression.
    assert not client.get(som_2020.get_absolute_url()).has_header("Content-Encoding")


def test_a_form_with_a_csrf_token_is_never_compressed(client, db):
    response = client.get("/admin/login/", headers=GZIP)
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert not response.has_header("Content-Encoding")


def test_nothing_answered_to_a_signed_in_session_is_compressed(client, som_2020):
    client.force_login(User.objects.create_user("officer", is_staff=True))
    response = client.get(som_2020.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
