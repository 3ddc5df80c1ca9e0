"""Every error answered under /api/ in JSON, whichever view, renderer or part of Django answered it.

A partner's script reads a 4xx's "detail" from JSON. Most of the API answers so by itself, but not all of it:
the OpenAPI description answered 405, 406, 404 and 429 in YAML (its renderers are YAML and JSON), the docs page
405 and 406 as plain HTML, and Django's URL resolver `/api` and `/api/` with the site's HTML 404 page. One rule
here, at the door, for whatever answers: a response of 400 or more that is not JSON is answered again as
`{"detail": …}` with the same status and headers (Allow, Retry-After, WWW-Authenticate, …).
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

# DRF's own words where a response carries none (a plain Django response).
_DETAILS = {
    404: "Not found.",
    405: 'Method "{method}" not allowed.',
    406: "Could not satisfy the request Accept header.",
    429: "Request was throttled.",
}
# The headers of the answer that describe its body, made again for the JSON one.
_BODY_HEADERS = {"content-type", "content-length", "content-disposition", "content-language", "etag", "last-modified"}


def in_api(request: HttpRequest) -> bool:
    """Whether a request is the API's (its answers are JSON, errors and failures included): the one rule."""
    return request.path_info == "/api" or request.path_info.startswith("/api/")


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    data = getattr(response, "data", None)  # a DRF Response keeps what it rendered
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return data["detail"]
    status = response.status_code
    if status in _DETAILS:
        return _DETAILS[status].format(method=request.method)
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Error."


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or response.streaming or _is_json(response) or not in_api(request):
            return response
        answer = JsonResponse({"detail": _detail(request, response)}, status=response.status_code)
        for name, value in response.items():
            if name.lower() not in _BODY_HEADERS:
                answer[name] = value
        answer.cookies = response.cookies
        return answer
