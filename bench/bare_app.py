"""A bare Flask route, served by the same gunicorn as the app: the yardstick of `make bench-scale`.

Not part of the product: what one request costs when nothing but Flask and gunicorn runs.
"""

from __future__ import annotations

from flask import Flask

application = Flask(__name__)


@application.get("/")
def hello() -> str:
    return "Hello"
