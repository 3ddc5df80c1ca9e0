"""Reading the partner API in tests as a partner's script would: JSON, and every page of a list."""


def get_json(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    return response.json()


def results(client, url):
    """Every result of a list, following the pages."""
    found = []
    while url:
        page = get_json(client, url)
        found += page["results"]
        url = page["next"]
    return found
