"""Fast settings for the test suite; the database still comes from DATABASE_URL."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: F403
from .settings import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tests call tasks in-process; the round-trip tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURE_SSL_REDIRECT = False
# Serve static files from the source folders; no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = Path(env.str("TEST_MEDIA_ROOT", default="/tmp/lianfang-test-media"))  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
