"""The OpenAPI description and its documentation UI (Swagger UI), public by design.

Swagger UI's files come from the ``drf-spectacular-sidecar`` package and are served by our
static files, never by a CDN; the split view serves its start-up script as a file, so the
page runs under the project's CSP (no inline script, no inline style, no other origin).
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..throttling import ApiRateThrottle


class SchemaView(SpectacularAPIView):
    throttle_classes = [ApiRateThrottle]


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    throttle_classes = [ApiRateThrottle]
