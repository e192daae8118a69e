"""The WSGI application, for `kliento serve` and any WSGI server (`kliento.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

from kliento.startup import prepare_data_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
prepare_data_dir()
application = get_wsgi_application()
