"""The root URLconf: the base layer's pages, then every app's pages as they registered them."""

from django.contrib import admin
from django.urls import include, path

from kliento.api import api
from kliento.core.mounts import url_mounts

# MEDIA_ROOT is not served, not even with DEBUG: it holds import files and error reports full
# of client data, which only the permission-checked import views may hand out.
urlpatterns = [
    path("", include("kliento.core.urls")),
    *(path(mount.prefix, include(mount.urlconf)) for mount in url_mounts),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
