import os

from django.core.wsgi import get_wsgi_application

from config.handlers import lean_paths_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = lean_paths_application(get_wsgi_application())
