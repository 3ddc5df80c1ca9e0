"""Request rates: anonymous clients share a modest rate per address; partners with a token get a higher one.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a request is made, not when this module
is imported, so that settings changed at run time (and in tests) take effect. The counts live in the
default cache: Redis when ``REDIS_URL`` is set, so that every worker process shares them.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from budapest.security import client_ip


class LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The rate is read per request (see above); the parent read it once, when the throttle was made.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousThrottle(LiveRateMixin, AnonRateThrottle):
    """Clients without a token, counted by address: the one the sign-in lockout counts by (budapest.security)."""

    scope = "anon"

    def get_ident(self, request):
        return client_ip(request)


class PartnerThrottle(LiveRateMixin, UserRateThrottle):
    """Clients with a token or a staff session, counted by user."""

    scope = "partner"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
