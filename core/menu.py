"""The menu registry: each package adds its entries in `init_app`; the layout shows the
entries the user's roles allow, and a user's home page is the first main entry they may open.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from core.policy import can

MENUS = ("main", "admin", "user")


@dataclass(frozen=True)
class MenuItem:
    """An entry: where it leads, its label, the action that opens it, and its place."""

    endpoint: str
    #: the message id, marked with N_ and translated where the menu is shown
    label: str
    action: str
    menu: str = "main"
    order: int = 50


def add(app: Flask, *items: MenuItem) -> None:
    """Add entries to the application's menus."""
    registry = app.extensions.setdefault("counsel.menu", [])
    registry.extend(items)
    registry.sort(key=lambda item: (item.order, item.endpoint))


def items_for(user, menu: str = "main") -> list[MenuItem]:
    """The entries of one menu that this user may open, in order."""
    entries = current_app.extensions.get("counsel.menu", [])
    return [item for item in entries if item.menu == menu and can(user, item.action)]


def home_for(user) -> str | None:
    """The endpoint a user lands on: their first main menu entry."""
    items = items_for(user, "main")
    return items[0].endpoint if items else None
