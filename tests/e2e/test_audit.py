"""The audit trail in the browser: it fits a phone's width, names never break letter by
letter, and many alike changes open from their summary (issue 7, point 8)."""

from __future__ import annotations

from playwright.sync_api import expect

PHONE_WIDTH = 390


def test_the_trail_fits_a_phone_and_names_stay_whole(phone_page, live_server, log_in, shot):
    page = log_in(phone_page, "office")
    page.goto(f"{live_server.url}/audit")
    entries = page.locator('[data-testid="audit-entry"]')
    expect(entries.first).to_be_visible()
    shot(page, "audit-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # every actor's name stays on one line: one box each, never a letter per line
    boxes = page.locator(".audit-actor").evaluate_all(
        "names => names.map(name => name.getClientRects().length)"
    )
    assert boxes and set(boxes) == {1}
    group = page.locator("details.audit-group").first
    expect(group.locator(".audit-lines").first).to_be_hidden()
    group.locator("summary").click()
    expect(group.locator(".audit-lines").first).to_be_visible()


def test_a_sign_in_shows_in_the_trail_with_its_address(page, live_server, log_in):
    log_in(page, "admin")
    page.goto(f"{live_server.url}/audit?kind=signin")
    first = page.locator('[data-testid="audit-entry"]').first
    expect(first).to_contain_text("127.0.0.1")
    expect(first.locator(".audit-actor")).to_be_visible()
