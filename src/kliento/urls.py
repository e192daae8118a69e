from django.contrib import admin
from django.urls import include, path

from kliento.api import api

# MEDIA_ROOT is not served, not even with DEBUG: it holds import files and error reports full
# of client data, which only the permission-checked import views may hand out.
urlpatterns = [
    path("", include("kliento.core.urls")),
    path("", include("kliento.metrics.urls")),
    path("clients/", include("kliento.clients.urls")),
    path("import/", include("kliento.clients.import_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
