"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("COUNSEL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COUNSEL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
# the access lines go through core.logs (put in place by create_app in each worker), which
# masks the secret part of URLs such as the calendar feed's: see tests/core/test_secrets.py
accesslog = "-"
errorlog = "-"
# behind a reverse proxy, also set COUNSEL_TRUSTED_PROXIES (the number of proxies): the
# application then reads the client's address from X-Forwarded-For (werkzeug's ProxyFix)
forwarded_allow_ips = os.environ.get("COUNSEL_FORWARDED_ALLOW_IPS", "127.0.0.1")
