"""The OpenAPI description's address: made once per process, language and format, then served as bytes.

Apart from budapest.api.schema, which drf-spectacular's views import through the API's settings.
"""

from typing import ClassVar

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView, SpectacularSwaggerView

from .viewsets import PartnerAPIMixin


class SchemaView(PartnerAPIMixin, SpectacularAPIView):
    """The OpenAPI description, made once per process, language and format: it changes only with the code.

    Making it costs about 250 ms of CPU (the generator 195, YAML 60) for a description nobody may change,
    so anyone could keep the workers busy with it: it is rendered once and then served as bytes (with an
    ETag, from ConditionalGetMiddleware). The language is one of the site's, read as every view of the API
    reads it (PartnerAPIMixin: `?lang=`, a 400 if it names none, or the request's), and `?version=` is not
    written into it: what a request sends never makes another copy.
    """

    _rendered: ClassVar[dict[tuple[str, str], tuple[bytes, dict[str, str]]]] = {}
    http_method_names = ["get", "head"]  # OPTIONS too is a 405 with `Allow: GET, HEAD`: the description is read

    @extend_schema(**SCHEMA_KWARGS)  # as drf-spectacular's: the description leaves itself out
    def get(self, request, *args, **kwargs):
        language = self.language
        # Keyed by the renderer's own media type, never the client's Accept (its parameters are the client's
        # to vary): one copy per language and renderer, four renderers.
        media_type = request.accepted_renderer.media_type
        key = (language, media_type)
        if key not in self._rendered:
            with translation.override(language):
                response = self._get_schema_response(request)
                response.accepted_renderer = request.accepted_renderer
                response.accepted_media_type = media_type
                response.renderer_context = self.get_renderer_context()
                response.render()
            headers = {name: response[name] for name in ("Content-Type", "Content-Disposition")}
            self._rendered[key] = (response.content, headers)
        content, headers = self._rendered[key]
        return HttpResponse(content, headers={**headers, "Content-Language": language})

    def _get_version_parameter(self, request):
        return None  # the API has one version, v1


class DocsView(PartnerAPIMixin, SpectacularSwaggerView):
    """The interactive docs: the page asks the description for the language it was asked in (`?lang=`), so it
    reads the language as the description does, an unknown one a 400 rather than a page whose description fails."""
