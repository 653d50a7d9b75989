"""Installable and (by choice) offline: the web app manifest, the service worker, the offline page.

The offline copy is opt-in and minimal (SECURITY.md R17): the service worker is registered only
when the young person turns the copy on (static/js/offline.js), keeps only the pages this person
can already see, and is wiped on sign-out, quick exit, revocation or turning the choice off.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _

from app.family.language_views import family_locale
from app.family.views import NEUTRAL_SITE
from app.languages import text_direction
from app.web.door import static_version
from app.web.headers import CONTENT_SECURITY_POLICY

blueprint = Blueprint("family_pwa", __name__)

# One Cache Storage cache for the offline copy; static files in it are versioned by URL.
OFFLINE_CACHE = "daybook-offline"
# What the offline copy needs to draw a page; all small, all already loaded by every page.
OFFLINE_ASSETS = (
    "css/base.css",
    "vendor/htmx-2.0.11.min.js",
    "js/app.js",
    "js/offline.js",
    "js/lock.js",
    "js/read_aloud.js",
    "js/push.js",
    "css/easy_read.css",
    "icons/icon-192.png",
)
# A kept page not refreshed from the server for this long deletes itself (with the whole copy).
# Revoking a phone (R10) wipes its copy the next time it has signal; this bounds how long a phone
# that never gets signal again (say, taken and kept offline) can still show the plan. Two weeks is
# a choice to review with young people and workers: long enough for a missing episode without
# signal, short enough that a lost phone does not hold the plan for good.
OFFLINE_COPY_DAYS = 14
# A plain notebook mark on the app's neutral slate; nothing about the service's topic (R18).
THEME_COLOUR = "#2f4858"
BACKGROUND_COLOUR = "#f6f4ef"
SW_SOURCE = "js/sw.js"


def _settings_name() -> str:
    name: str = current_app.config["SAFER_PLAN"].neutral_app_name
    return name


def offline_asset_urls() -> list[str]:
    return [url_for("static", filename=name) for name in OFFLINE_ASSETS]


def _revalidated(body: str, mimetype: str) -> Response:
    """Sent with an ETag and `no-cache`: a repeat visit costs a 304, a changed file is seen at once."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    response.make_conditional(request)
    return response


@blueprint.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: neutral name, colours and icon (R18)."""
    name = _settings_name()

    def icon(filename: str, size: int, purpose: str) -> dict[str, str]:
        return {
            "src": url_for("static", filename=f"icons/{filename}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    # The language the browser asks for (a manifest is fetched without cookies), so an installed
    # app's name and direction match the pages. The name is a neutral word, not translated (R18).
    language = family_locale()
    body = {
        "id": "/",
        "lang": language,
        "dir": text_direction(language),
        "name": name,
        "short_name": name,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [
            icon("icon-192.png", 192, "any"),
            icon("icon-512.png", 512, "any"),
            icon("maskable-192.png", 192, "maskable"),
            icon("maskable-512.png", 512, "maskable"),
        ],
    }
    response = _revalidated(json.dumps(body, separators=(",", ":")), "application/manifest+json")
    response.vary.add("Accept-Language")
    return response


def _worker_words() -> dict[str, str]:
    """What the service worker may have to say while offline (it cannot ask the server)."""
    return {
        "lang": "en-GB",
        "title": _("Not sent"),
        "heading": _("Your words were NOT sent"),
        "explain": _(
            "There is no signal, so nothing was saved. Your words are below: copy them, "
            "or go back and send them again when you have signal."
        ),
        "yourWords": _("What you typed"),
        "nothingTyped": _("There were no words to keep."),
        "home": _("Open my plan"),
        "quickExit": _("Quick exit"),
        "skip": _("Skip to content"),
        "brand": _settings_name(),
        # What a notice says if its payload is missing (app/push sends the same words).
        "somethingNew": _("Something new for you"),
        "lockedTitle": _("%(app)s is locked", app=_settings_name()),
        "lockedText": _("Connect to the internet, then open it with your key."),
        "staleText": _(
            "It had not been updated for %(days)d days, so it deleted itself. "
            "Connect to the internet to see your plan.",
            days=OFFLINE_COPY_DAYS,
        ),
        "copyGoneTitle": _("The copy on this phone is deleted"),
        "copyGoneText": _(
            "There is no signal, so you are not signed out everywhere yet. Press Sign out again when you have signal."
        ),
    }


@blueprint.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from / so its scope is the whole family app.

    Public like the static files it caches: it holds no personal data, and the browser's update
    check must not fail just because the session has ended.
    """
    assert current_app.static_folder is not None  # noqa: S101 - the door always has static files
    source_version = static_version(current_app.static_folder, SW_SOURCE) or ""
    assets = offline_asset_urls()
    config = {
        "cache": OFFLINE_CACHE,
        "assets": assets,
        "css": url_for("static", filename="css/base.css"),
        "appJs": url_for("static", filename="js/app.js"),
        "home": url_for("family.home"),
        "exit": url_for("family.quick_exit"),
        "neutralSite": NEUTRAL_SITE,
        "signOut": url_for("family.sign_out"),
        "offlineJs": url_for("static", filename="js/offline.js"),
        "offline": url_for("family_pwa.offline"),
        "locked": url_for("family_lock.locked"),
        "signIn": url_for("family.sign_in"),
        "icon": url_for("static", filename="icons/icon-192.png"),
        "keepDays": OFFLINE_COPY_DAYS,
        # Pages the worker makes up itself (a refused write) carry the same policy as ours (R15).
        "csp": CONTENT_SECURITY_POLICY,
        "words": _worker_words(),
        # Changes whenever the worker or any asset changes, so the browser installs the new worker.
        "version": hashlib.sha256((source_version + "".join(assets)).encode()).hexdigest()[:12],
    }
    code = (Path(current_app.static_folder) / SW_SOURCE).read_text(encoding="utf-8")
    header = f"// Generated by app/family/pwa_views.py from static/{SW_SOURCE}."
    body = f"{header}\nconst DAYBOOK = {json.dumps(config)};\n{code}"
    return _revalidated(body, "text/javascript")


@blueprint.get("/offline")
def offline() -> Any:
    """Shown by the service worker when a page that is not kept is opened without signal."""
    return render_template("family/offline.html")
