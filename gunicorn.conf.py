"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import multiprocessing
import os

bind = os.environ.get("COUNSEL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COUNSEL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("COUNSEL_FORWARDED_ALLOW_IPS", "127.0.0.1")
