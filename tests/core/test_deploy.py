"""The shipped service files agree with the application: nginx's forwarded headers with the
trusted-proxy setting, and the systemd units with the README's commands."""

from __future__ import annotations

import re
from pathlib import Path

from core import create_app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "counsel.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def nginx_headers(client_address: str) -> dict[str, str]:
    """The headers nginx's site sends upstream for a client at this address over HTTPS."""
    values = {"$remote_addr": client_address, "$scheme": "https", "$request_id": "f00d" * 8}
    values["$host"] = "counsel.example.gov.cn"
    site = (DEPLOY / "nginx-counsel.conf").read_text()
    headers = {}
    for name, value in re.findall(r"proxy_set_header\s+(\S+)\s+(\S+);", site):
        headers[name] = values.get(value, value)
    return headers


def test_behind_nginx_the_app_sees_the_clients_own_address_and_scheme(app):
    settings = env_example()
    assert settings["COUNSEL_TRUSTED_PROXIES"] == "1"
    proxied = create_app(
        {**app.config, "TRUSTED_PROXIES": int(settings["COUNSEL_TRUSTED_PROXIES"])}
    )
    seen = {}

    @proxied.after_request
    def note(response):
        from flask import request

        seen.update(address=request.remote_addr, scheme=request.scheme)
        return response

    headers = nginx_headers("10.20.30.40")
    # nginx replaces whatever X-Forwarded-For the client sent: a forged one never arrives
    assert headers["X-Forwarded-For"] == "10.20.30.40"
    response = proxied.test_client().get(
        "/login", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert seen == {"address": "10.20.30.40", "scheme": "https"}
    assert response.headers["X-Request-ID"] == "f00d" * 8


def test_the_site_sends_hsts_and_accepts_the_largest_upload(app):
    site = (DEPLOY / "nginx-counsel.conf").read_text()
    assert 'Strict-Transport-Security "max-age=31536000" always' in site
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 >= app.config["MAX_CONTENT_LENGTH"]
    assert f"proxy_pass http://{env_example()['COUNSEL_BIND']};" in site


def test_the_units_run_the_readmes_commands():
    web = (DEPLOY / "counsel-web.service").read_text()
    scheduler = (DEPLOY / "counsel-scheduler.service").read_text()
    assert "gunicorn -c gunicorn.conf.py wsgi:app" in web
    assert "flask scheduler run" in scheduler
    readme = (DEPLOY.parent / "README.md").read_text()
    for unit in ("counsel-web.service", "counsel-scheduler.service", "nginx-counsel.conf"):
        assert f"deploy/{unit}" in readme
