"""Request rates: anonymous clients share a modest rate per address; partners with a token get a higher one.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a request is made, not when this module
is imported, so that settings changed at run time (and in tests) take effect. The counts live in the
default cache: Redis when ``REDIS_URL`` is set, so that every worker process shares them.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from budapest.security import client_ip


class LiveRateMixin:
    """Reads the rate at each request, and counts each request at its view's cost.

    A view says what one answer costs in ``throttle_cost`` (1 unless it says): the whole record in one
    export costs as much as ten pages of a list, so that a client's rate buys the same work either way.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The rate is read per request (see above); the parent read it once, when the throttle was made.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:  # no limit for this scope
            return True
        # A cost above the whole rate would never be allowed: it takes the whole rate instead.
        self.cost = min(max(1, int(getattr(view, "throttle_cost", 1))), self.num_requests)
        # The parent refuses when the history holds num_requests entries; room for the whole cost is needed.
        self.num_requests -= self.cost - 1
        return super().allow_request(request, view)

    def throttle_success(self):
        self.history[:0] = [self.now] * self.cost
        self.cache.set(self.key, self.history, self.duration)
        return True


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
