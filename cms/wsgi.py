import os

from django.core.wsgi import get_wsgi_application

from cms.serving import prepare_for_serving

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Freeze what start-up loaded and collect less often (see cms.serving).
prepare_for_serving()
