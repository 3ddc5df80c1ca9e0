"""What every API view does: refuse bad input early, answer errors in JSON, and support conditional requests.

ETags and 304 answers come from Django's ConditionalGetMiddleware, as for every page; the API only
says what its answers vary by, and checks ``If-Match`` against the same ETag before a change.
"""

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import parse_etags
from django_filters import MultipleChoiceFilter
from rest_framework.exceptions import APIException, MethodNotAllowed, NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from actors.languages import reading_language
from meetings.versions import version_bump


def etag_of(content: bytes) -> str:
    """The ETag that ConditionalGetMiddleware gives a response with this content."""
    return set_response_etag(HttpResponse(content))["ETag"]


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "The record changed since you read it: read it again, then send your change."
    default_code = "precondition_failed"


class PartnerAPIMixin:
    """Mixed into every view of the partner API, before DRF's own classes."""

    def initial(self, request, *args, **kwargs):
        # An unsupported method is answered 405 even to a client that could not use it anyway:
        # what a resource supports is public (see the schema), whoever asks.
        if request.method.lower() not in self.http_method_names or not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        if request.query_params.get("format") == "":
            raise NotFound("Give a format (json or csv), or leave the parameter out.")
        repeated = [name for name in self.single_parameters() if len(request.query_params.getlist(name)) > 1]
        if repeated:
            # ?page=1&page=2: Django would read the last one and hide the client's mistake.
            raise ValidationError({name: [f"Give {name} once: it takes one value."] for name in repeated})
        self.language = self.asked_language(request)
        super().initial(request, *args, **kwargs)

    def single_parameters(self) -> list[str]:
        """The parameters this view reads one value of: its filters but those that take a list (`voice`), and the
        API's own (page, page size, format, language, ordering, search)."""
        filters = getattr(getattr(self, "filterset_class", None), "base_filters", {})
        names = {"page", "page_size", "format", "lang", "ordering", "search", *filters}
        return sorted(name for name in names if not isinstance(filters.get(name), MultipleChoiceFilter))

    def asked_language(self, request) -> str:
        """The language the answer is in: `?lang=ru`, else the request's Accept-Language.

        The API has one address for every language (budapest.languages), so the address cannot say it: the
        client does, and the answer says which it got (Content-Language, each record's `language`).
        """
        asked = request.query_params.get("lang")
        if asked is not None:
            codes = [code for code, _name in settings.LANGUAGES]
            # A language tag in any case, with or without its region: "ru", "RU", "ru-RU", "ru_RU".
            wanted = asked.strip().lower().replace("_", "-")
            if wanted not in codes:
                wanted = wanted.split("-")[0]
            if wanted not in codes:
                raise ValidationError({"lang": [f"Unknown language “{asked[:20]}”: give one of {', '.join(codes)}."]})
            asked = wanted
        else:
            asked = translation.get_language_from_request(request._request)
        translation.activate(asked)
        return reading_language()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": getattr(self, "language", settings.LANGUAGE_CODE)}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not isinstance(response, Response):
            return response
        if (response.status_code >= 400 or request.method == "OPTIONS") and type(
            getattr(response, "accepted_renderer", None)
        ) is not JSONRenderer:
            # An error is a message, not a table (nor an OpenAPI document), and so is what OPTIONS says of a
            # resource: say it in JSON even to a client that asked for CSV or YAML.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # What an answer depends on beside its address: its ETag (the middleware's) is per variant.
            patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization", "Cookie"))
        if hasattr(self, "language"):
            response["Content-Language"] = self.language
        return response


class ResourceMixin(PartnerAPIMixin):
    """A resource: what a request may read (``base_queryset``) and what its serializer needs (``with_related``)."""

    serializer_classes: dict = {}

    def base_queryset(self):
        """The records this request may read."""
        raise NotImplementedError

    def with_related(self, queryset):
        """The queryset with what the action's serializer shows, loaded in a fixed number of queries."""
        return queryset

    def get_queryset(self):
        return self.with_related(self.base_queryset())

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, self.get_read_serializer_class())

    def get_read_serializer_class(self):
        return self.serializer_classes["retrieve"]


class WritableMixin(ResourceMixin):
    """Create and change through a write serializer; answer with the record as a GET of it would show it."""

    write_serializer_class: type[BaseSerializer] | None = None
    WRITE_ACTIONS = ("create", "update", "partial_update")

    def get_serializer_class(self):
        if self.action in self.WRITE_ACTIONS and self.write_serializer_class is not None:
            return self.write_serializer_class
        return super().get_serializer_class()

    def read_representation(self, instance):
        # Read back whatever its status: a staff member who may add a draft may see what they added.
        instance = self.with_related(type(instance)._default_manager.filter(pk=instance.pk)).get()
        return self.get_read_serializer_class()(instance, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.check_writable_data(serializer.validated_data)
        data = self.read_representation(serializer.save())
        headers = {"Location": data["api_url"]} if data.get("api_url") else {}
        return Response(data, status=201, headers=headers)

    def check_writable(self, instance) -> None:
        """Refuse a write the API must not make (raise an APIException); by default every record is writable."""

    def check_writable_data(self, data: dict) -> None:
        """Refuse a write by what it would write (a new record, or a record's new values), as check_writable does."""

    def versioned(self, instance):
        """The row whose `version` counts this record's saves (for If-Match), or None."""
        return instance if hasattr(instance, "version") else None

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_writable(instance)
        if_match = request.headers.get("If-Match", "").strip()
        versioned = self.versioned(instance)
        seen = versioned.version if versioned is not None else None
        if if_match and if_match != "*":
            # The ETag of a JSON read of the record: a change based on an older read is refused, not lost.
            # A weak ETag (W/"…") names the same read: what a proxy that compresses answers makes of the strong one.
            current = etag_of(JSONRenderer().render(self.read_representation(instance)))
            if current not in {tag.removeprefix("W/") for tag in parse_etags(if_match)}:
                raise PreconditionFailed()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        self.check_writable_data(serializer.validated_data)
        with transaction.atomic():
            # The check and the write are one: the version read with the ETag must still be the row's, in
            # one UPDATE that the database runs one at a time, so of several writes sent with one ETag one wins.
            if versioned is not None and not version_bump(versioned, seen=seen if if_match else None):
                raise PreconditionFailed()
            saved = serializer.save()
        return Response(self.read_representation(saved))
