"""Shared by the security tests (``tests/test_security_*.py``, summary in docs/security.md):
the attack strings, and what a response must never show when it carries one.

``html_problems(body, payload)`` reads a page as a browser would (``html.parser``: attribute
values unescaped, ``<script>`` content read as raw text up to ``</script``) and lists what
would let the payload run or mislead: the payload itself unescaped outside a JSON block, an
inline script, an event-handler attribute, a ``javascript:`` (or ``vbscript:``,
``data:text/html``) link, a JSON block that is not valid JSON, or the output of a template tag
evaluated from the payload."""

import json
import re
from html.parser import HTMLParser

# --- the attack strings ---------------------------------------------------------------------
# Each is tried in every public parameter (test_security_inputs.py) and stored in every field
# a curator can fill (test_security_stored.py). Ids are the names the tests are reported by.
PAYLOADS = {
    "script-tag": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "single-quote-breakout": "'><svg onload=alert(1)>",
    "javascript-url": "javascript:alert(1)",
    "script-breakout": "</script><script>alert(1)</script>",
    "comment-in-script": "<!--<script>alert(1)//",
    "template-variable": "{{7*7}}",
    "template-tag": "{% debug %}",
    "sql": "' OR 1=1 --",
    "percent-nul": "%00",
    "nul": "a\x00b",
    "long": "A" * 10_000,
    "rtl-override": "Pôle \u202egnp.exe",
    "homoglyphs": "Pôle Аdmіn ＜script＞alert(1)＜/script＞",
    "formula": "=cmd|' /C calc'!A0",
    "crlf": "x\r\nSet-Cookie: injected=1",
    "double-encoded": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
}
# Most of them in one string, sent in each parameter on its own.
POLYGLOT = (
    "'\"><img src=x onerror=alert(1)></script><script>alert(1)</script>"
    "{{7*7}}{% debug %}' OR 1=1 --%00\x00\u202e=cmd|' /C calc'!A0"
)
# What PostgreSQL cannot store (a NUL in text): only ever sent, never stored.
NOT_STORABLE = {"nul"}
STORED_PAYLOADS = {name: value for name, value in PAYLOADS.items() if name not in NOT_STORABLE}

# Characters that let a string leave a text node or an attribute value.
BREAKOUT_CHARACTERS = set("<>\"'")
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
# What ``{% debug %}`` prints (the context and the loaded modules).
DEBUG_OUTPUT = ("<module '", "sql_queries", "'csrf_token'")


class PageScan(HTMLParser):
    """The parts of a page where a script could hide."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attributes, content)
        self.handlers = []  # (tag, attribute, value)
        self.urls = []  # (tag, attribute, value)
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attributes, parts = self._script
            self.scripts.append((attributes, "".join(parts)))
            self._script = None


def scan(body):
    parser = PageScan()
    parser.feed(body)
    parser.close()
    return parser


def is_json_script(attributes):
    return attributes.get("type", "").split(";")[0].strip().lower() in JSON_SCRIPT_TYPES


def inline_scripts(body):
    """The ``<script>`` elements without ``src`` that are not JSON data: code the CSP would
    block (none is expected anywhere)."""
    return [
        content[:80]
        for attributes, content in scan(body).scripts
        if "src" not in attributes and not is_json_script(attributes)
    ]


def json_blocks(body):
    """``[(type, content)]`` of the JSON ``<script>`` blocks of a page."""
    return [
        (attributes["type"], content)
        for attributes, content in scan(body).scripts
        if "src" not in attributes and is_json_script(attributes)
    ]


def without_json_blocks(body):
    return re.sub(
        r"<script[^>]*application/(?:ld\+)?json[^>]*>.*?</script>", "", body, flags=re.S | re.I
    )


def html_problems(body, payload=None):
    """What is wrong with this page (an empty list when nothing is)."""
    problems = []
    page = scan(body)
    breaks_out = payload is not None and BREAKOUT_CHARACTERS & set(payload)
    if breaks_out and payload in without_json_blocks(body):
        problems.append("the payload is in the page unescaped")
    for attributes, content in page.scripts:
        if "src" in attributes:
            continue
        if not is_json_script(attributes):
            problems.append(f"inline script: {content[:60]!r}")
            continue
        try:
            json.loads(content)
        except ValueError:
            problems.append(f"a {attributes['type']} block is not valid JSON: {content[:60]!r}")
    problems += [f"event handler <{tag} {name}={value!r}>" for tag, name, value in page.handlers]
    for tag, name, value in page.urls:
        if re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(DANGEROUS_SCHEMES):
            problems.append(f"dangerous URL <{tag} {name}={value[:60]!r}>")
    problems += [f"template output {marker!r}" for marker in DEBUG_OUTPUT if marker in body]
    return problems


def json_problems(response):
    """A JSON endpoint's answer: valid JSON, served as JSON (never sniffed as HTML)."""
    problems = []
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("application/json", "application/geo+json")):
        problems.append(f"Content-Type {content_type!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    try:
        json.loads(response.content)
    except ValueError:
        problems.append("the body is not valid JSON")
    return problems


def response_problems(response, payload=None):
    """``html_problems`` or ``json_problems`` by content type, plus a server error."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        problems += html_problems(response.content.decode(), payload)
    elif response.status_code not in (301, 302, 304):
        problems += json_problems(response)
    if "injected" in response.cookies:
        problems.append("a header was injected (Set-Cookie: injected)")
    return problems


def fits(value, length):
    """``value`` cut to a column's length (PostgreSQL enforces it; SQLite does not)."""
    return value[:length]
