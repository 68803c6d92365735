"""`make audit`: Lighthouse on the demo's eight reader pages, served as in production.

Builds a throw-away installation under var/audit (its own SQLite database, media and static
files), loads the demo company, serves it with gunicorn on a free port of the loopback
address, runs Lighthouse (performance, accessibility, best practices, SEO) on each page
with the desktop preset and the default mobile settings, prints one table of the scores
and exits 1 when any score is below the goal. The JSON reports stay in var/audit/reports.

Needs Debian's chromium and `npm install` (Lighthouse in node_modules). Not part of
`make test`: a run takes minutes, and its timings depend on the machine.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "audit"
REPORTS = WORK / "reports"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
FORMS = ["desktop", "mobile"]
GOAL = 98


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(port: int) -> dict[str, str]:
    """Production settings (DEBUG off, hashed and compressed static files) on plain http,
    apart from the installation's own: no .env, no database, media or cache of its own."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("CACHE_URL", "SHARED_CACHE_URL", "MEDIA_ROOT", "PRIVATE_IMPORT_ROOT")
        and name not in ("STATICFILES_STORAGE", "WHITENOISE_USE_FINDERS", "BEHIND_PROXY")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "vitrine.settings",
            "ENV_FILE": str(WORK / "no.env"),
            "VAR_DIR": str(WORK),
            "DATABASE_URL": f"sqlite:///{WORK / 'audit.sqlite3'}",
            # The database lives only for this run, so does its key.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "BASE_URL": f"http://127.0.0.1:{port}",
            "LANGUAGE_CODE": "de",
            "EMAIL_URL": "consolemail://",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return run.stdout


def prepare(env: dict[str, str]) -> dict[str, str]:
    """A fresh database with the demo, compiled catalogs and collected static files."""
    shutil.rmtree(WORK, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    say("Migrating a temporary database and loading the demo")
    manage(env, "compile_catalogs")
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    out = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "import json; from tests.demo_pages import demo_pages; print(json.dumps(demo_pages()))",
    )
    return json.loads(out.strip().splitlines()[-1])


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (WORK / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "vitrine.wsgi",
            "--config",
            "python:vitrine.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped; see {WORK / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer within a minute; see {WORK / 'gunicorn.log'}")


def lighthouse(url: str, form: str, report: Path, chrome: str, attempts: int = 3) -> dict | None:
    """Run Lighthouse; the report's JSON, or None when it failed `attempts` times.

    Lighthouse now and then fails to record a page load in headless Chromium (a runtime error
    such as NO_NAVSTART, with no scores): that run says nothing about the page, so it is
    repeated rather than counted.
    """
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if form == "desktop":
        command.append("--preset=desktop")
    for attempt in range(1, attempts + 1):
        report.unlink(missing_ok=True)
        run = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": chrome},
            capture_output=True,
            text=True,
            timeout=300,
        )
        result = json.loads(report.read_text()) if report.exists() else None
        if run.returncode == 0 and result is not None and not result.get("runtimeError"):
            return result
        print(
            f"!!! Lighthouse failed on {url} ({form}), attempt {attempt} of {attempts}:\n"
            f"{run.stderr[-2000:]}",
            file=sys.stderr,
        )
    return None


def scores(result: dict | None) -> dict[str, int | None]:
    """Each category's score out of 100 (None: Lighthouse could not score it)."""
    if result is None:
        return dict.fromkeys(CATEGORIES)
    out = {}
    for category in CATEGORIES:
        score = result["categories"][category]["score"]
        out[category] = None if score is None else round(score * 100)
    return out


def shortfalls(result: dict, category: str) -> list[str]:
    """The audits of a category that cost points, with what they measured."""
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            lines.append(f"{audit['id']} ({audit['score']:.2f}{', ' + value if value else ''})")
    return lines


def table(rows: dict[tuple[str, str], dict[str, int | None]], pages: list[str]) -> str:
    columns = [f"{form} {SHORT[c]}" for form in FORMS for c in CATEGORIES]
    width = max(len(p) for p in pages) + 2
    lines = ["page".ljust(width) + " ".join(c.rjust(len(c)) for c in columns)]
    for page in pages:
        cells = []
        for form in FORMS:
            for category in CATEGORIES:
                value = rows[page, form][category]
                text = "-" if value is None else str(value)
                if value is None or value < GOAL:
                    text = f"*{text}"
                cells.append(text.rjust(len(f"{form} {SHORT[category]}")))
        lines.append(page.ljust(width) + " ".join(cells))
    return "\n".join(lines)


def main() -> int:
    chrome = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if chrome is None:
        sys.exit("Debian's chromium is not installed: Lighthouse cannot run.")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm install` (or `make audit`).")
    port = free_port()
    env = environment(port)
    pages = prepare(env)
    say(f"Serving the demo on http://127.0.0.1:{port}/ with gunicorn")
    server = serve(env, port)
    rows: dict[tuple[str, str], dict[str, int | None]] = {}
    notes: list[str] = []
    try:
        for name, path in pages.items():
            for form in FORMS:
                say(f"Lighthouse {form}: {name} {path}")
                result = lighthouse(
                    f"http://127.0.0.1:{port}{path}", form, REPORTS / f"{name}-{form}.json", chrome
                )
                rows[name, form] = scores(result)
                for category, value in rows[name, form].items():
                    if result is not None and value is not None and value < GOAL:
                        lost = ", ".join(shortfalls(result, category)) or "no single audit"
                        notes.append(f"{name} {form} {category} {value}: {lost}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(table(rows, list(pages)))
    print(f"\n* below {GOAL}. Reports: {REPORTS.relative_to(ROOT)}/<page>-<desktop|mobile>.json")
    for note in notes:
        print(f"  {note}")
    failed = any(v is None or v < GOAL for row in rows.values() for v in row.values())
    print(f"\nLighthouse: {'FAIL' if failed else 'pass'} (goal: every score at least {GOAL})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
