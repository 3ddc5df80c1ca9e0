"""Choosing the format of an answer from `?format=` or `Accept`, with the client's q-values honoured.

DRF's own negotiation orders `Accept` by how specific each media type is and ignores `q`: a client sending
`text/csv;q=0.1, application/json` got CSV, and one refusing every format with `q=0` got one anyway. Here the
highest `q` wins (then the more specific type, then the earlier one), and `q=0` means "not this". No format
left is a 406, which budapest.api.errors answers in JSON like any error.
"""

import math

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.mediatypes import _MediaType


def quality(media_type: _MediaType) -> float:
    """A media type's q-value, from 0 to 1: 1 when it has none, or one that is no number (the type still counts)."""
    try:
        value = float(media_type.params.get("q", "1"))
    except ValueError:
        return 1.0
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else 1.0


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format:
            renderers = self.filter_renderers(renderers, format)
        wanted = sorted(
            (
                (quality(media_type), media_type.precedence, -position, media_type)
                for position, media_type in enumerate(self._get_parsed_accept_list(request))
                if quality(media_type) > 0
            ),
            key=lambda entry: entry[:3],
            reverse=True,
        )
        offered = [(renderer, _MediaType(renderer.media_type)) for renderer in renderers]
        for *_order, media_type in wanted:
            for renderer, renderer_type in offered:
                if not renderer_type.match(media_type):
                    continue
                # The renderer's own type, whatever parameters were asked for (`indent=4` would make other
                # bytes, and so another ETag, of the same read: one that no If-Match of a write could match).
                return renderer, renderer.media_type
        raise exceptions.NotAcceptable(available_renderers=renderers)
