from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Registers the OpenAPI description of allauth's session-token auth. Loaded
# with the URLconf, not at start-up: drf-spectacular's helpers import
# django.test (16 MiB), which a process serving only WebSockets never needs.
from backend.api import schema  # noqa: F401
from backend.api.errors import api_not_found
from exercises.audio import AUDIO_PREFIX, audio_serve
from privacy.views import privacy_notice

api_v1 = [
    path("", include("backend.accounts.urls")),
    path("", include("exercises.urls")),
    path("", include("clubs.urls")),
    path("", include("realtime.urls")),
    path("", include("privacy.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The split view serves its script as a file: no inline script (CSP).
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="web/swagger_ui.html"
        ),
        name="swagger-ui",
    ),
    # Last under /api/: unknown API URLs answer the JSON contract, DEBUG or not.
    re_path(r"^api/", api_not_found),
    path("_allauth/", include("allauth.headless.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Recordings are content, served in every mode (other media only with DEBUG).
    path(f"{settings.MEDIA_URL.strip('/')}/{AUDIO_PREFIX}/<path:path>", audio_serve),
    path("privacy/", privacy_notice, name="privacy"),
    path("", include("web.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "backend.api.errors.handler400"
handler404 = "backend.api.errors.handler404"
handler500 = "backend.api.errors.handler500"

admin.site.site_header = "Runa administration"
admin.site.site_title = "Runa"
