"""Checks a portal served as in production (``make serve``): every page type answers,
security headers and the Content-Security-Policy are there, and a 15-second load of 50
connections (wrk, loopback) ends with no error.

    .venv/bin/python scripts/ci/serve_check.py http://127.0.0.1:8040 [--seconds 15]

Requests carry ``X-Forwarded-Proto: https``, as nginx in front would (production redirects
plain HTTP). Exit status 0 when everything holds; the failures are listed otherwise."""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

HEADERS = {"X-Forwarded-Proto": "https", "User-Agent": "portail-serve-check"}
PAGES = [
    "/",
    "/ptce/",
    "/ptce/?theme=culture&departement=03",
    "/ptce/?q=cooperation",
    "/carte/",
    "/territoires/",
    "/territoires/region/84/",
    "/territoires/departement/03/",
    "/territoires/epci/200071363/",
    "/territoires/commune/03095/",
    "/soutenir/",
    "/experiences/",
    "/dispositifs/",
    "/api/v1/ptce.geojson",
    "/api/v1/coverage.json?level=region",
    "/territoires/recherche.json?q=vichy",
    "/healthz",
    "/readyz",
]
LOAD_MIX = ["/", "/ptce/", "/ptce/?theme=culture", "/territoires/departement/03/", "/carte/"]
REQUIRED_CSP = {"script-src": "'self'", "object-src": "'none'", "frame-ancestors": "'none'"}


def fetch(url):
    request = urllib.request.Request(url, headers=HEADERS)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check_pages(base, failures):
    first_ptce = None
    for path in PAGES:
        status, headers, body = fetch(base + path)
        if status != 200:
            failures.append(f"{path}: {status}")
            continue
        if path == "/api/v1/ptce.geojson":
            features = json.loads(body)["features"]
            first_ptce = features[0]["properties"]["url"] if features else None
        if headers.get("Content-Type", "").startswith("text/html"):
            check_headers(path, headers, failures)
    if first_ptce is None:
        failures.append("no published PTCE to check a PTCE page")
    else:
        status, headers, _body = fetch(base + first_ptce)
        if status != 200:
            failures.append(f"{first_ptce}: {status}")
        check_headers(first_ptce, headers, failures)
    return first_ptce


def check_headers(path, headers, failures):
    policy = dict(
        part.strip().split(" ", 1)
        for part in headers.get("Content-Security-Policy", "").split(";")
        if part.strip()
    )
    for directive, value in REQUIRED_CSP.items():
        if policy.get(directive) != value:
            failures.append(f"{path}: CSP {directive} is {policy.get(directive)!r}")
    if "unsafe-inline" in headers.get("Content-Security-Policy", ""):
        failures.append(f"{path}: CSP allows unsafe-inline")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            failures.append(f"{path}: {name} is {headers.get(name)!r}")
    if "max-age=" not in headers.get("Strict-Transport-Security", ""):
        failures.append(f"{path}: no Strict-Transport-Security")
    if "camera=()" not in headers.get("Permissions-Policy", ""):
        failures.append(f"{path}: no Permissions-Policy")


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%.1f %%.1f\\n",
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def load(base, seconds, paths, failures):
    if shutil.which("wrk") is None:
        failures.append("wrk is not installed (apt-get install wrk)")
        return
    script = LUA % ", ".join(json.dumps(path) for path in paths)
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "mix.lua"
        lua.write_text(script)
        result = subprocess.run(
            ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua), base],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("RESULT")), None)
    if line is None:
        failures.append(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")
        return
    requests, connect, read, write, status, timeout, duration, p50, p99 = line.split()[1:]
    errors = sum(int(n) for n in (connect, read, write, status, timeout))
    rate = int(requests) / (int(duration) / 1e6)
    print(
        f"load: {requests} requests in {int(duration) / 1e6:.1f} s ({rate:.0f}/s), "
        f"median {p50} ms, p99 {p99} ms, errors: connect {connect}, read {read}, "
        f"write {write}, status {status}, timeout {timeout}"
    )
    if errors:
        failures.append(f"load: {errors} errors")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8040")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    failures = []
    first_ptce = check_pages(base, failures)
    print(f"pages: {len(PAGES) + 1} checked, {len(failures)} problems")
    load(base, args.seconds, [*LOAD_MIX, *([first_ptce] if first_ptce else [])], failures)
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
