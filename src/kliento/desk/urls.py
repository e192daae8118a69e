from kliento.desk.public import urls as public_urls
from kliento.desk.webhooks import urls as webhooks_urls

app_name = "desk"
urlpatterns: list = [*webhooks_urls.urlpatterns, *public_urls.urlpatterns]
