"""Page object for the practitioner's "API tokens" page (app/api/token_views.py)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


class ApiTokensPage:
    """The practitioner's own personal access tokens: make one (shown once), see them, revoke one."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open_from_the_top_bar(self) -> None:
        self.page.goto("/practitioner/")
        self.page.get_by_role("link", name="API tokens").click()
        self.page.wait_for_url("**/practitioner/account/tokens")

    def make_a_token(self, name: str, *, may_change: bool = False, stops_on: str | None = None) -> None:
        self.page.get_by_label("What is it for?").fill(name)
        self.page.get_by_label("Read and change" if may_change else "Read only").check()
        if stops_on is not None:
            self.page.get_by_label("Stops working on").fill(stops_on)
        self.page.get_by_role("button", name="Make token").click()
        self.page.wait_for_load_state()

    @property
    def new_token(self) -> str:
        """The token shown once, just after it was made."""
        return self.page.get_by_label("Token", exact=True).input_value()

    @property
    def error_summary(self) -> Locator:
        return self.page.get_by_role("alert")

    def row(self, name: str) -> Locator:
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("cell", name=name, exact=True))

    def revoke(self, name: str) -> None:
        """Revoke the token called `name`, confirming on the next page."""
        self.row(name).get_by_role("link", name=f"Revoke {name}").click()
        self.page.get_by_role("button", name="Yes, revoke it").click()
        self.page.wait_for_load_state()
