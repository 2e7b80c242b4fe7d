"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every log line is one JSON object on stderr (the journal keeps it): gunicorn's own lines
through the formatter below, and one line per request written by the application itself
(core.logs), with the request id and the user's id; so gunicorn's access log is off.
"""

import multiprocessing
import os

bind = os.environ.get("COUNSEL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("COUNSEL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
accesslog = None
errorlog = "-"
loglevel = os.environ.get("COUNSEL_LOG_LEVEL", "info").lower()
_json = os.environ.get("COUNSEL_LOG_FORMAT", "json") == "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": "core.logs.JsonFormatter"}
        if _json
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"secrets": {"()": "core.logs.MaskSecrets"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["secrets"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
# behind a reverse proxy, also set COUNSEL_TRUSTED_PROXIES (the number of proxies): the
# application then reads the client's address from X-Forwarded-For (werkzeug's ProxyFix)
forwarded_allow_ips = os.environ.get("COUNSEL_FORWARDED_ALLOW_IPS", "127.0.0.1")
