import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()

# The objects built at start-up (modules, URL resolvers, settings) live as long as the process:
# moving them out of the collector's reach spares each full collection from walking them.
gc.freeze()
