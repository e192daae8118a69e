from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from kliento.api import api

urlpatterns = [
    path("", include("kliento.core.urls")),
    path("clients/", include("kliento.customers.urls")),
    path("import/", include("kliento.customers.import_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
