"""The head every page shares: the favicon, served from this site (no network)."""

import re


def test_every_page_links_the_favicon_served_from_this_site(client):
    page = client.get("/login").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link, "no favicon link in the page's head"
    answer = client.get(link.group(1))
    assert answer.status_code == 200
    assert answer.mimetype == "image/svg+xml"
    assert answer.get_data(as_text=True).lstrip().startswith("<svg")
