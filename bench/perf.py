"""What the young person's plan page costs a phone on poor signal (`make bench`).

Starts the real server (gunicorn, as the e2e tests do, on a fresh database with the demo data),
signs in as the demo young person by opening a server-side session (as tests/support/signin.py
does) and putting its token in the `daybook` cookie, then measures in Debian's Chromium at phone
size:

- bytes over the network for the first visit to the plan page (target <= 45 KB): the sum of
  CDP `Network.loadingFinished` encodedDataLength (compressed bodies plus headers);
- the same for a repeat visit with the offline copy on (target <= 5 KB): static files come from
  the browser's cache or the service worker's;
- of that, the plan page itself on the repeat visit (target <= 1 KB): the service worker asks with
  the ETag of the page it keeps and the unchanged page is a 304 (app/web/conditional.py, sw.js);
- with no goal, the repeat visit of a young person who keeps no copy: the page is "no-store" (R17),
  so it comes whole;
- Lighthouse 12 mobile scores for performance (target >= 95) and accessibility (target 100).

Lighthouse comes from bench/node_modules (`npm install --prefix bench lighthouse@12`) or, if it
is not there, `npx --yes lighthouse@12`. Results are written to bench/results/ (git-ignored).

    .venv/bin/python bench/perf.py [--skip-lighthouse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import e2e.server as e2e_server  # noqa: E402 - needs the path above
from e2e.conftest import CHROMIUM_ARGS, PHONE, chromium_path  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results"
FIRST_VISIT_LIMIT = 45 * 1024
REPEAT_VISIT_LIMIT = 5 * 1024
REPEAT_PAGE_LIMIT = 1024
PERFORMANCE_TARGET = 95
ACCESSIBILITY_TARGET = 100


def start_server(workdir: Path) -> tuple[e2e_server.LiveServer, dict[str, str]]:
    """The e2e LiveServer, and the environment it runs with (its secrets sign our cookie)."""
    server = e2e_server.LiveServer(workdir=workdir, database_url=e2e_server.e2e_database_url(workdir))
    server.start()
    return server, server.environment


def signed_in_cookie(environment: dict[str, str], young_person_id: int) -> tuple[str, str]:
    """Open a server-side session for the demo young person; returns (cookie name, value)."""
    from app import create_app
    from app.auth.models import AccountKind
    from app.auth.sessions import SessionLimits, start_session
    from app.config import load_settings

    application = create_app(load_settings(environment))
    family = application.family
    limits: SessionLimits = family.config["SESSION_LIMITS"] or SessionLimits(
        idle=timedelta(minutes=30), absolute=timedelta(hours=12)
    )
    with application.database.session() as session:
        raw, _record = start_session(
            session=session, account_kind=AccountKind.FAMILY, account_id=young_person_id, limits=limits
        )
        session.commit()
    serializer = family.session_interface.get_signing_serializer(family)  # type: ignore[attr-defined]
    value = serializer.dumps({"_user_id": raw, "_fresh": True})
    application.database.engine.dispose()
    return family.config["SESSION_COOKIE_NAME"], value


def measure_bytes(origin: str, cookie: tuple[str, str]) -> dict[str, Any]:
    """Bytes over the network for three visits to the plan page, per request: the first; a repeat
    visit of a young person who keeps no copy (the page is "no-store", R17, so it comes whole); and a
    repeat visit with the offline copy on, where the service worker asks with the kept page's tag.

    What the service worker fetches is counted on the worker's side (Playwright reports its requests
    in Chromium); what it answers from its cache costs the network nothing."""
    from playwright.sync_api import Request, Response, sync_playwright

    with sync_playwright() as playwright:
        path = chromium_path()
        browser = playwright.chromium.launch(args=CHROMIUM_ARGS, **({"executable_path": path} if path else {}))
        context = browser.new_context(viewport=PHONE, locale="en-GB")
        context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": origin}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        statuses: dict[str, int] = {}
        answered_by_worker: set[str] = set()
        worker_fetches: list[tuple[str, int, int]] = []  # (path, bytes, status)
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        cdp.on(
            "Network.responseReceived",
            lambda e: answered_by_worker.add(e["requestId"]) if e["response"].get("fromServiceWorker") else None,
        )
        # The status on the wire (304), not the one the browser hands the page after revalidating (200).
        cdp.on(
            "Network.responseReceivedExtraInfo", lambda e: statuses.__setitem__(e["requestId"], int(e["statusCode"]))
        )

        def worker_answered(response: Response) -> None:
            """A 304 the worker does not read on is reported as aborted, never as finished: count
            its status line and headers as they came (the body of a 304 is empty)."""
            if response.request.service_worker is None or response.status != 304:
                return
            headers = sum(len(h["name"]) + len(h["value"]) + 4 for h in response.headers_array())
            wire = len(f"HTTP/1.1 304 {response.status_text}\r\n") + headers + 2
            worker_fetches.append((response.url.removeprefix(origin), wire, 304))

        def worker_fetched(request: Request) -> None:
            response = request.response()
            if request.service_worker is None or response is None or response.status == 304:
                return
            size = request.sizes()
            # A negative body size is the browser's cache answering: nothing came over the network.
            wire = size["responseHeadersSize"] + size["responseBodySize"] if size["responseBodySize"] >= 0 else 0
            worker_fetches.append((request.url.removeprefix(origin), wire, response.status))

        context.on("response", worker_answered)
        context.on("requestfinished", worker_fetched)

        def visit() -> dict[str, Any]:
            for seen in (urls, sizes, statuses, answered_by_worker):
                seen.clear()
            worker_fetches.clear()
            page.goto(f"{origin}/", wait_until="networkidle")
            assert page.get_by_role("heading", level=1).inner_text().startswith("Hi "), "not signed in"
            from_network = [
                (urls.get(rid, "?").removeprefix(origin), size, statuses.get(rid, 0))
                for rid, size in sizes.items()
                if rid not in answered_by_worker
            ]
            answered = [(urls.get(rid, "?").removeprefix(origin), 0, 0) for rid in sizes if rid in answered_by_worker]
            fetched = from_network + [(f"{url} (by the service worker)", n, code) for url, n, code in worker_fetches]
            requests = sorted(((url, n) for url, n, _code in fetched + answered), key=lambda item: -item[1])
            document = [(n, code) for url, n, code in fetched if url.split(" ")[0] == "/"]
            return {
                "bytes": sum(n for _url, n, _code in fetched),
                "requests": requests,
                "page_bytes": sum(n for n, _code in document),
                "page_status": [code for _n, code in document],
            }

        first = visit()
        page.goto("about:blank")
        repeat_without_copy = visit()
        # The young person turns the offline copy on (tests/e2e: FamilyPhone.keep_a_copy_on_this_phone).
        page.get_by_role("checkbox", name="Keep a copy on this phone so it opens without signal").check()
        page.get_by_text("Done. Your plan will open on this phone without signal.").wait_for()
        page.goto("about:blank")
        repeat = visit()
        browser.close()
    return {"first": first, "repeat_without_copy": repeat_without_copy, "repeat": repeat}


def lighthouse_command() -> list[str]:
    local = PROJECT_ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    if local.exists():
        return [str(local)]
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("Lighthouse needs Node.js: install nodejs and npm, or run with --skip-lighthouse")
    return [npx, "--yes", "lighthouse@12"]


def run_lighthouse(origin: str, cookie: tuple[str, str]) -> dict[str, float]:
    """Lighthouse mobile (its default form factor and throttling) against the signed-in plan page."""
    RESULTS.mkdir(exist_ok=True)
    report = RESULTS / "lighthouse.json"
    chrome = chromium_path() or ""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                *lighthouse_command(),
                f"{origin}/",
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                f"--extra-headers={json.dumps({'Cookie': f'{cookie[0]}={cookie[1]}'})}",
            ],
            env={**os.environ, "CHROME_PATH": chrome, "TMPDIR": profile},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if done.returncode != 0 or not report.exists():
        raise SystemExit(f"Lighthouse failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    result = json.loads(report.read_text())
    final_url = result.get("finalDisplayedUrl") or result.get("finalUrl", "")
    if not final_url.rstrip("/").endswith(origin.removeprefix("http://")) and "/sign-in" in final_url:
        raise SystemExit(f"Lighthouse was not signed in (ended on {final_url})")
    categories = result["categories"]
    audits = result["audits"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "total_blocking_time_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cumulative_layout_shift": round(audits["cumulative-layout-shift"]["numericValue"], 3),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lighthouse", action="store_true", help="measure bytes only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="safer-plan-bench-") as tmp:
        server, environment = start_server(Path(tmp))
        try:
            cookie = signed_in_cookie(environment, int(str(server.demo["young_person_id"])))
            transfer = measure_bytes(server.origin, cookie)
            scores = None if args.skip_lighthouse else run_lighthouse(server.origin, cookie)
        finally:
            server.stop()
            e2e_server.drop_e2e_database(server.database_url)

    first, repeat = transfer["first"], transfer["repeat"]
    page_ok = repeat["page_bytes"] <= REPEAT_PAGE_LIMIT
    checks = [first["bytes"] <= FIRST_VISIT_LIMIT, repeat["bytes"] <= REPEAT_VISIT_LIMIT, page_ok]
    print("Plan page, signed in as the demo young person, Chromium at 390x844")
    visits = (
        ("first visit", first, FIRST_VISIT_LIMIT),
        ("repeat visit, offline copy on (the service worker revalidates)", repeat, REPEAT_VISIT_LIMIT),
    )
    for name, visit, limit in visits:
        ok = visit["bytes"] <= limit
        figure = f"{visit['bytes'] / 1024:.1f} KB ({visit['bytes']} B)"
        print(f"  {name}: {figure} over the network (target <= {limit // 1024} KB): {verdict(ok)}")
        for url, size in visit["requests"]:
            print(f"      {size:>7} B  {url}")
    status = ", ".join(str(code) for code in repeat["page_status"]) or "?"
    print(
        f"  repeat visit, the plan page itself: {repeat['page_bytes']} B, HTTP {status} "
        f"(target <= {REPEAT_PAGE_LIMIT // 1024} KB): {verdict(page_ok)}"
    )
    plain = transfer["repeat_without_copy"]
    print(
        f"  (no goal) repeat visit with the offline copy off: {plain['bytes']} B, the page {plain['page_bytes']} B: "
        "the page is no-store, so nothing on the phone can send its tag (R17)"
    )
    if scores is not None:
        performance_ok = scores["performance"] >= PERFORMANCE_TARGET
        accessibility_ok = scores["accessibility"] >= ACCESSIBILITY_TARGET
        checks += [performance_ok, accessibility_ok]
        print("Lighthouse 12, mobile")
        print(f"  performance: {scores['performance']} (target >= {PERFORMANCE_TARGET}): {verdict(performance_ok)}")
        accessibility = scores["accessibility"]
        print(f"  accessibility: {accessibility} (target {ACCESSIBILITY_TARGET}): {verdict(accessibility_ok)}")
        print(
            f"  FCP {scores['first_contentful_paint_ms']} ms, LCP {scores['largest_contentful_paint_ms']} ms, "
            f"TBT {scores['total_blocking_time_ms']} ms, CLS {scores['cumulative_layout_shift']}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "perf.json").write_text(json.dumps({"transfer": transfer, "lighthouse": scores}, indent=2))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
