"""Helpers the browser journeys share."""


def submit_form(page, form=None, expect_status: int | None = None):
    """Press the submit button of a POST form (default: the page's main one); wait for the
    page that follows. Returns the answer to the POST (302 after a success, 4xx when refused).
    """
    form = form if form is not None else page.locator("main form[method=post]")
    button = form.locator("button:not([type=button])")
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        button.click()
    if expect_status is not None:
        assert answer.value.status == expect_status, answer.value.url
    return answer.value
