"""Rate limits of the API, counted in the cache: per token, or per address without one.

Rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at each call (not frozen at
import), so that a deployment or a test can change them. With several application servers,
the cache must be shared (see docs/deploiement.md), or each server counts on its own.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = "api_token" if isinstance(request.auth, ApiToken) else "api_public"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
