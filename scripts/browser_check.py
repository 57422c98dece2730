#!/usr/bin/env python3
"""Headless-Chromium checks of Fabu's public portal (everything under `/`, not `/admin`).

Run by scripts/browser-check.sh, which installs what is missing and starts a scratch server; by hand:

    .build/browser-venv/bin/python scripts/browser_check.py --base http://127.0.0.1:PORT \
        --admin-password PASSWORD [--out artifacts/browser]

What it checks, against a server with the demo data (see the operator guide, "Public portal"):

  pages     every portal page found by crawling links from `/` and `/sitemap.xml` answers 200 (only
            `/`, `/j/…`, `/releases/…`, `/roster/…` and `/search…` pages are followed; every other link of
            this site on them must not answer an error); feeds and sitemap are well-formed XML
  unpublished
            the title of every activity that is not public (public: held, closed, released, or scheduled
            with a published preview) appears on no crawled page (both modes), feed or sitemap, and its
            `/releases/{id}` answers 404; the demo data must hold at least one such activity
  elder     the toolbar's 长者模式 link switches the elderly mode on, it holds on the next page, and the
            link switches it off again
  keyboard  on each template, in both modes: the first Tab focuses the skip link (跳到正文) with a visible
            focus indicator, Enter on it moves focus to #main, Tab walks every link/button/input of the
            main content in document order with a visible indicator and no trap, and the elderly-mode
            link works from the keyboard
  axe       axe-core on every page, both modes, desktop and phone: any `serious` or `critical` violation
            fails; every violation is printed and written to OUT/axe-report.json
  browser   no severe console message, and no request to any host but 127.0.0.1

Screenshots: OUT/<page>--<desktop|phone>--<standard|elder>.png (full page).

Before crawling it publishes, through the staff API, what the demo data lacks so that every template
shows up: a spokesperson-list edition (roster page) when none is published, and a published preview of a
press conference in preparation when there is none. `--no-fixtures` leaves the data as it is.
"""

import argparse
import html
import importlib.resources
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

VIEWPORTS = {"desktop": (1366, 900, False), "phone": (390, 844, True)}
MODES = ("standard", "elder")
PUBLIC_STAGES = {"held", "closed", "released"}
ALL_STAGES = ["draft", "signOff", "review", "returned", "approval", "preparing", "approved", "scheduled",
              "held", "closed", "released", "rejected", "withdrawn", "cancelled"]
FAIL_IMPACTS = {"serious", "critical"}
MAX_PAGES = 60            # portal pages opened in the browser (the HTTP crawl goes up to MAX_CRAWL)
MAX_CRAWL = 300
# Chromium asks every site for /favicon.ico by itself; the portal has none. Not the page's doing.
IGNORED_CONSOLE = [re.compile(r"/favicon\.ico - Failed to load resource: the server responded with a status of 404")]


# ---------------------------------------------------------------- results

class Results:
    def __init__(self):
        self.passed = 0
        self.failures = []
        self.notes = []

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {detail}" if detail else name)
            print(f"  FAIL {name}" + (f" — {detail}" if detail else ""), flush=True)
        return ok

    def note(self, text):
        self.notes.append(text)
        print(f"  note: {text}", flush=True)


R = Results()


def section(title):
    print(f"\n== {title}", flush=True)


# ---------------------------------------------------------------- HTTP (no proxy: loopback only)

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_noredirect = urllib.request.build_opener(urllib.request.ProxyHandler({}), type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {
    "redirect_request": lambda self, *a, **k: None})())


class HTTP:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.token = None

    def request(self, method, path, body=None, raw=None, headers=None, follow=True):
        url = path if path.startswith("http") else self.base + path
        assert urllib.parse.urlsplit(url).hostname == "127.0.0.1", f"refusing to request {url}"
        h = dict(headers or {})
        data = None
        if raw is not None:
            data = raw
            h.setdefault("Content-Type", "application/octet-stream")
        elif body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.token and "/api/" in url:
            h["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with (_opener if follow else _noredirect).open(req, timeout=30) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def api(self, method, path, body=None, raw=None):
        status, _, data = self.request(method, "/api/v1" + path, body=body, raw=raw)
        try:
            payload = json.loads(data) if data else None
        except ValueError:
            payload = data.decode(errors="replace")
        return status, payload


def api_message(payload):
    if isinstance(payload, dict):
        return f"{payload.get('error')}: {payload.get('message')}"
    return str(payload)[:200]


# ---------------------------------------------------------------- activities and what is public

def list_activities(http):
    seen = {}
    status, items = http.api("GET", "/activities")
    if status != 200:
        raise SystemExit(f"GET /api/v1/activities answered {status}: {api_message(items)}")
    for a in items:
        seen[a["id"].upper()] = a
    # The list holds at most 200; ask stage by stage as well so that none is missed.
    for stage in ALL_STAGES:
        status, items = http.api("GET", f"/activities?stage={stage}")
        if status == 200:
            for a in items:
                seen[a["id"].upper()] = a
    return seen


def classify(http, activities):
    """Returns (public, hidden): dicts id -> summary, with `previewPublished` filled in for scheduled ones."""
    public, hidden = {}, {}
    for aid, a in activities.items():
        is_public = a["stage"] in PUBLIC_STAGES
        if a["stage"] == "scheduled":
            status, full = http.api("GET", f"/activities/{aid}")
            a["previewPublished"] = bool(status == 200 and full.get("previewPublishedAt"))
            is_public = a["previewPublished"]
        (public if is_public else hidden)[aid] = a
    return public, hidden


# ---------------------------------------------------------------- fixtures: make every template appear

def ensure_edition(http):
    status, editions = http.api("GET", "/editions")
    if status == 200 and editions:
        return
    status, jurisdictions = http.api("GET", "/jurisdictions")
    if status != 200 or not jurisdictions:
        R.note(f"fixture: cannot list jurisdictions ({status}); no roster page to check")
        return
    year = time.gmtime().tm_year
    for j in jurisdictions:
        jid = j.get("id") if isinstance(j, dict) else j
        status, e = http.api("POST", "/editions", {"jurisdictionId": jid, "year": year})
        if status == 201:
            print(f"  fixture: published the {year} spokesperson list of {jid} ({e.get('title')})")
            return
        R.note(f"fixture: publishing the {year} list of {jid} answered {status} {api_message(e)}")


def ensure_preview(http, activities, hidden_titles_check):
    """Drives one press conference in preparation to `scheduled` with a published preview, through the API.
    In between (scheduled, preview not yet published) it must not be on the portal."""
    for a in activities.values():
        if a["stage"] == "scheduled" and a.get("previewPublished"):
            return
    candidates = [a for a in activities.values() if a["form"] == "pressConference" and a["stage"] in ("preparing", "scheduled")]
    if not candidates:
        R.note("fixture: no press conference in preparation; no preview page to check")
        return
    for a in candidates:
        aid = a["id"]
        if a["stage"] == "preparing":
            status, full = http.api("GET", f"/activities/{aid}")
            if status != 200:
                continue
            for kind in ("confidentiality", "stability"):
                http.api("POST", f"/activities/{aid}/assessments", {"kind": kind, "outcome": "passed", "reviewer": "浏览器检查"})
            have = {d["kind"] for d in full.get("documents", [])}
            for kind in ("applicationForm", "workPlan", "statement", "hostScript", "qaBrief", "background", "venuePlan"):
                if kind not in have:
                    http.api("POST", f"/activities/{aid}/documents?kind={kind}&filename={kind}.txt",
                             raw="浏览器检查用的会前材料。\n".encode())
            http.api("POST", f"/activities/{aid}/documents?kind=other&filename="
                     + urllib.parse.quote("会场交通指引.txt") + "&public=true", raw="公开附件：会场交通指引。\n".encode())
            status, roster = http.api("GET", f"/agencies/{a['agencyId']}/roster")
            people = [p["personId"] for p in (roster or {}).get("positions", []) if p.get("current")] if status == 200 else []
            people = list(dict.fromkeys(people))
            done = False
            for main in people:
                for host in people:
                    status, _ = http.api("PUT", f"/activities/{aid}/participants",
                                         {"participants": [{"role": "mainSpeaker", "personId": main}, {"role": "host", "personId": host}]})
                    if status == 200:
                        done = True
                        break
                if done:
                    break
            http.api("PUT", f"/activities/{aid}/programme",
                     {"segments": [{"kind": "statement", "minutes": 20}, {"kind": "qa", "minutes": 20}]})
            status, res = http.api("POST", f"/activities/{aid}/schedule")
            if status != 200:
                R.note(f"fixture: could not schedule “{a['title']}”: {status} {api_message(res)}")
                continue
            a["stage"] = "scheduled"
        # Scheduled, preview not published: still hidden.
        hidden_titles_check(a)
        status, res = http.api("POST", f"/activities/{aid}/preview", {})
        if status == 200 and res.get("previewPublishedAt"):
            a["previewPublished"] = True
            print(f"  fixture: scheduled “{a['title']}” ({a['jurisdictionId']}) and published its preview")
            return
        R.note(f"fixture: publishing the preview of “{a['title']}” answered {status} {api_message(res)}")
    R.note("fixture: no preview could be published; the preview page is not checked")


# ---------------------------------------------------------------- crawling

class LinkParser(HTMLParser):
    """Links, and GET forms (action, hidden fields, names of the text fields)."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link", "area") and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "hidden": [], "text": []}
        elif tag == "input" and self._form is not None and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                self._form["hidden"].append((a["name"], a.get("value") or ""))
            elif kind in ("text", "search"):
                self._form["text"].append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


PAGE_RE = re.compile(r"^/$|^/j/[^/.]+(/[^/.]+)*$|^/releases/[^/]+$|^/roster/[^/]+$|^/search(/[^.]*)?$")
FEED_RE = re.compile(r"^/j/[^/]+/feed\.(rss|atom)$")


def template_of(path, activities):
    p = urllib.parse.urlsplit(path).path
    if p == "/":
        return "home"
    m = re.match(r"^/j/[^/]+$", p)
    if m:
        return "column"
    m = re.match(r"^/j/[^/]+/([^/]+)", p)
    if m:
        return "column-" + m.group(1)
    m = re.match(r"^/releases/([^/]+)$", p)
    if m:
        a = activities.get(m.group(1).upper())
        return "preview" if a and a["stage"] == "scheduled" else "record"
    if p.startswith("/roster/"):
        return "edition"
    if p.startswith("/search"):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        return "search-results" if any(v and v[0] for k, v in q.items() if k == "q") else "search"
    return "other"


def slug_of(path, activities):
    parts = urllib.parse.urlsplit(path)
    p, q = parts.path, parts.query
    if p == "/":
        s = "home"
    elif p.startswith("/releases/"):
        aid = p.split("/")[2]
        s = f"release-{template_of(path, activities)}-{aid[:8].lower()}"
    elif p.startswith("/roster/"):
        s = "roster-" + p.split("/")[2][:8].lower()
    else:
        s = p.strip("/").replace("/", "-")
    if q:
        s += "-" + re.sub(r"[^0-9A-Za-z]+", "_", urllib.parse.unquote(q))[:40]
    return s


def crawl(http, sitemap_paths, search_term):
    """HTTP crawl of the portal pages. Returns (pages: [path], bodies: {path: html}, other links: {path: [referrer]},
    GET forms: {(action, hidden fields, text field): [referrer]}). A GET form to a portal page (the search) is
    followed twice: empty, and with `search_term` in its text field."""
    base = urllib.parse.urlsplit(http.base)
    queue = ["/"] + [p for p in sitemap_paths if p != "/"]
    referrers = {p: ["(start)" if p == "/" else "/sitemap.xml"] for p in queue}
    pages, bodies, others, external, forms = [], {}, {}, {}, {}
    seen = set()
    while queue and len(pages) < MAX_CRAWL:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = http.get(path)
        ctype = headers.get("content-type", "")
        if not R.check(status == 200, f"page {path} answers 200", f"answered {status} (linked from {', '.join(referrers[path][:3])})"):
            continue
        R.check("text/html" in ctype, f"page {path} is HTML", f"Content-Type {ctype!r}")
        pages.append(path)
        text = body.decode("utf-8", errors="replace")
        bodies[path] = text
        parser = LinkParser()
        parser.feed(text)
        for href in parser.links:
            href = html.unescape(href)
            if href.startswith("#") or href.split(":", 1)[0] in ("tel", "mailto", "javascript", "data"):
                continue
            u = urllib.parse.urlsplit(urllib.parse.urljoin(http.base + path, href))
            if (u.scheme, u.hostname, u.port) != (base.scheme, base.hostname, base.port):
                external.setdefault(urllib.parse.urlunsplit(u), []).append(path)
                continue
            target = u.path + (("?" + u.query) if u.query else "")
            if PAGE_RE.match(u.path):
                referrers.setdefault(target, []).append(path)
                if target not in seen and target not in queue:
                    queue.append(target)
            else:
                others.setdefault(target, []).append(path)
        for f in parser.forms:
            u = urllib.parse.urlsplit(urllib.parse.urljoin(http.base + path, html.unescape(f["action"]) or path))
            if (u.hostname, u.port) != (base.hostname, base.port) or not PAGE_RE.match(u.path) or not f["text"]:
                continue
            key = (u.path, tuple(f["hidden"]), f["text"][0])
            forms.setdefault(key, []).append(path)
            for fields in ([], list(f["hidden"]) + [(f["text"][0], search_term)]):
                target = u.path + ("?" + urllib.parse.urlencode(fields) if fields else "")
                referrers.setdefault(target, []).append(f"the form on {path}")
                if target not in seen and target not in queue:
                    queue.append(target)
    if queue:
        R.note(f"crawl stopped after {MAX_CRAWL} pages; {len(queue)} more not visited")
    for url, refs in sorted(external.items()):
        R.note(f"link to another site (not followed): {url} on {refs[0]}")
    return pages, bodies, others, forms


def search_leak_checks(http, forms, hidden, public):
    """Searching for an unpublished title finds nothing of it. The query is the title less its last character,
    so that the echoed query is not the title itself. A search for a public title should find it (else the
    leak check proves little: noted, not failed)."""
    if not forms:
        return
    for (action, hidden_fields, field), refs in sorted(forms.items()):
        for aid, a in sorted(hidden.items()):
            t = a["title"]
            if len(t) < 3 or any(t == p["title"] for p in public.values()):
                continue
            target = action + "?" + urllib.parse.urlencode(list(hidden_fields) + [(field, t[:-1])])
            status, _, body = http.get(target)
            text = body.decode("utf-8", errors="replace")
            if R.check(status == 200, f"search {target} answers 200", f"answered {status} (form on {refs[0]})"):
                R.check(not any(v in text for v in title_variants(t)) and aid.lower() not in text.lower(),
                        f"searching for unpublished “{t}” ({a['stage']}) on {action} {dict(hidden_fields)} finds nothing of it")
    actions = sorted({k[0] for k in forms})
    for action in actions:
        field = next(k[2] for k in forms if k[0] == action)
        for aid, a in sorted(public.items())[:1]:
            status, _, body = http.get(action + "?" + urllib.parse.urlencode([(field, a["title"][:-1])]))
            if aid.lower() not in body.decode("utf-8", errors="replace").lower():
                R.note(f"searching {action} for public “{a['title']}” did not find it, so the search leak check proves little")


def sitemap_and_feeds(http, jurisdictions):
    """Fetches /sitemap.xml and every jurisdiction's feeds. Returns ({name: text}, sitemap paths)."""
    docs, paths = {}, []
    status, _, body = http.get("/sitemap.xml")
    if R.check(status == 200, "/sitemap.xml answers 200", f"answered {status}"):
        text = body.decode("utf-8", errors="replace")
        docs["/sitemap.xml"] = text
        try:
            root = ET.fromstring(body)
            for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
                u = urllib.parse.urlsplit(loc.text.strip())
                R.check(u.hostname == "127.0.0.1", f"sitemap link {loc.text} is on this server", "FABU_PUBLIC_URL not applied?")
                paths.append(u.path + (("?" + u.query) if u.query else ""))
            R.passed += 1
        except ET.ParseError as e:
            R.check(False, "/sitemap.xml is well-formed XML", str(e))
    for j in sorted(jurisdictions):
        for kind in ("rss", "atom"):
            path = f"/j/{j}/feed.{kind}"
            status, headers, body = http.get(path)
            if R.check(status == 200, f"{path} answers 200", f"answered {status}"):
                docs[path] = body.decode("utf-8", errors="replace")
                try:
                    ET.fromstring(body)
                    R.passed += 1
                except ET.ParseError as e:
                    R.check(False, f"{path} is well-formed XML", str(e))
    return docs, paths


def title_variants(title):
    return {title, html.escape(title, quote=False), html.escape(title, quote=True),
            title.replace("&", "&#38;"), title.replace("&", "&#x26;")}


# ---------------------------------------------------------------- browser

def make_driver(chromium, chromedriver):
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
              "--window-size=1366,900", "--force-device-scale-factor=1", "--no-first-run", "--no-default-browser-check",
              "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
              "--disable-extensions", "--disable-domain-reliability", "--no-pings", "--metrics-recording-only",
              "--no-proxy-server",
              # Any host but 127.0.0.1 fails to resolve, so a stray request cannot leave the machine.
              "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(options=o, service=Service(chromedriver))
    d.set_page_load_timeout(30)
    d.set_script_timeout(120)
    return d


class Browser:
    def __init__(self, driver, base, axe_js):
        self.d = driver
        self.base = base.rstrip("/")
        self.axe_js = axe_js
        self.viewport = None

    def set_viewport(self, name):
        w, h, mobile = VIEWPORTS[name]
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})
        self.viewport = name

    def drain_logs(self):
        try:
            self.d.get_log("browser")
            self.d.get_log("performance")
        except WebDriverException:
            pass

    def open(self, path):
        self.d.get(self.base + path)
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def set_mode(self, mode):
        self.open(f"/a11y?mode={mode}&back=/")
        self.drain_logs()

    def body_is_elder(self):
        return self.d.execute_script("return document.body.classList.contains('elder')")

    def check_logs_and_requests(self, label):
        severe = [e["message"] for e in self.d.get_log("browser") if e.get("level") == "SEVERE"
                  and not any(p.search(e["message"]) for p in IGNORED_CONSOLE)]
        R.check(not severe, f"no console errors on {label}", "; ".join(severe))
        urls = self.d.execute_script(
            "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name)")
        for entry in self.d.get_log("performance"):
            try:
                msg = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if msg.get("method") == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        foreign = sorted({u for u in urls if not u.startswith(("data:", "blob:", "about:"))
                          and urllib.parse.urlsplit(u).hostname != "127.0.0.1"})
        R.check(not foreign, f"only 127.0.0.1 requested on {label}", ", ".join(foreign))

    def screenshot(self, path):
        metrics = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        w = VIEWPORTS[self.viewport][0]
        h = min(math.ceil(size["height"]), 8000)
        shot = self.d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})
        import base64
        path.write_bytes(base64.b64decode(shot["data"]))

    def axe_self_test(self):
        """axe must find what it is there to find: an unlabelled field in a page without a language."""
        self.d.get("data:text/html;charset=utf-8,<!DOCTYPE html><html><head><title>t</title></head>"
                   "<body><main><input type=text></main></body></html>")
        res = self.axe()
        ids = {v["id"] for v in res.get("violations", [])}
        R.check({"label", "html-has-lang"} <= ids, f"axe-core {res.get('version')} finds known violations on a test page",
                f"found {sorted(ids) or res.get('error')}")
        self.drain_logs()

    def axe(self):
        self.d.execute_script(self.axe_js)
        return self.d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
               .then(r => done({version: axe.version, violations: r.violations, incomplete: r.incomplete.length, passes: r.passes.length}))
               .catch(e => done({error: String(e)}));""")

    # keyboard helpers
    ACTIVE_JS = """
        const e = document.activeElement;
        if (!e || e === document.body || e === document.documentElement) return null;
        if (!e.__fabuKey) e.__fabuKey = 'x' + Math.random();
        const s = getComputedStyle(e), r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: (e.innerText || e.value || '').trim().slice(0, 40),
                href: e.getAttribute('href'), idx: (e.__fabuIdx === undefined ? null : e.__fabuIdx), key: e.__fabuKey || null,
                inMain: !!e.closest('main'), outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
                boxShadow: s.boxShadow, visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                && r.left < innerWidth && r.top < innerHeight};"""
    MARK_JS = """
        const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),'
                  + ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
        const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'
                  && !(e.closest('details:not([open])') && e.tagName !== 'SUMMARY');
        let k = 0;
        document.querySelectorAll(sel).forEach(e => { e.__fabuKey = 'k' + (k++); });
        const main = document.querySelector('main');
        const inMain = main ? Array.from(main.querySelectorAll(sel)).filter(shown) : [];
        inMain.forEach((e, i) => { e.__fabuIdx = i; });
        return {main: inMain.map(e => (e.innerText || e.value || e.getAttribute('href') || e.tagName).trim().slice(0, 40)),
                all: Array.from(document.querySelectorAll(sel)).filter(shown).length};"""

    def tab(self, n=1, shift=False):
        chain = ActionChains(self.d)
        for _ in range(n):
            if shift:
                chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
            else:
                chain.send_keys(Keys.TAB)
        chain.perform()
        return self.d.execute_script(self.ACTIVE_JS)

    def enter(self):
        ActionChains(self.d).send_keys(Keys.ENTER).perform()


def has_indicator(a):
    return (a["outlineStyle"] != "none" and a["outlineWidth"] > 0) or (a["boxShadow"] not in ("", "none"))


def describe(a):
    if a is None:
        return "(nothing / body)"
    t = f"<{a['tag']}"
    if a["id"]:
        t += f" id={a['id']}"
    if a["href"]:
        t += f" href={a['href']}"
    return t + f"> “{a['text']}”"


def keyboard_checks(b, path, mode, template):
    label = f"{template} {path} ({mode})"
    # 1. The first Tab focuses the skip link, visibly; Enter moves focus to #main and the next Tab into main.
    b.open(path)
    marks = b.d.execute_script(b.MARK_JS)
    first = b.tab()
    ok = R.check(first is not None and first["cls"] and "skip" in first["cls"].split() and first["text"] == "跳到正文",
                 f"keyboard: first Tab focuses the skip link on {label}", f"focused {describe(first)}")
    if ok:
        R.check(has_indicator(first), f"keyboard: skip link has a visible focus indicator on {label}",
                f"outline {first['outlineStyle']} {first['outlineWidth']}px, box-shadow {first['boxShadow']}")
        R.check(first["visible"], f"keyboard: focused skip link is on screen on {label}", "it stays off-screen when focused")
        b.enter()
        time.sleep(0.1)
        active = b.d.execute_script("const e = document.activeElement; return e ? e.id : null")
        R.check(active == "main", f"keyboard: Enter on the skip link focuses #main on {label}",
                f"focus is on {active or 'body'} (does <main> have tabindex=\"-1\"?)")
        if marks["main"]:
            nxt = b.tab()
            R.check(nxt is not None and nxt["idx"] == 0, f"keyboard: Tab after the skip link enters the main content on {label}",
                    f"focused {describe(nxt)}, expected “{marks['main'][0]}”")
    # 2. Tab through the whole page: every main element in document order, each visibly focused, no trap.
    b.open(path)
    marks = b.d.execute_script(b.MARK_JS)
    limit = max(60, marks["all"] + 5)
    seq, trap, no_indicator, stay = [], None, [], 0
    for _ in range(limit):
        a = b.tab()
        if a is None:
            break                       # left the document: the end of the tab order
        if seq and a["key"] == seq[-1]["key"]:
            stay += 1                   # Tab steps through the fields of a date or time input
            if stay > 6:
                trap = a
                break
            continue
        stay = 0
        if seq and a["key"] == seq[0]["key"]:
            break                       # wrapped around to the start
        if any(a["key"] == s["key"] for s in seq):
            trap = a
            break
        seq.append(a)
        if not has_indicator(a):
            no_indicator.append(describe(a))
    print(f"  {label}: {len(seq)} Tab stops ({'end reached' if len(seq) < limit and trap is None else 'stopped'}), "
          f"{len(marks['main'])} control(s) in main", flush=True)
    R.check(trap is None, f"keyboard: no focus trap on {label}", f"focus came back to {describe(trap)} after {len(seq)} Tabs" if trap else "")
    reached = [a["idx"] for a in seq if a["idx"] is not None]
    expected = list(range(len(marks["main"])))
    if reached != expected:
        missing = [marks["main"][i] for i in expected if i not in reached]
        detail = f"order {reached[:20]} of {len(expected)}" + (f"; never focused: {missing[:5]}" if missing else "")
        if len(seq) >= limit:
            detail += f"; still going after {limit} Tabs"
        R.check(False, f"keyboard: Tab reaches the {len(expected)} controls of the main content in order on {label}", detail)
    else:
        R.passed += 1
    R.check(not no_indicator, f"keyboard: every focused element shows a focus indicator on {label}", "; ".join(no_indicator[:5]))
    # 3. The elderly-mode link works from the keyboard (standard → elder → standard).
    want = "退出长者模式" if mode == "elder" else "长者模式"
    b.open(path)
    a = None
    for _ in range(6):
        a = b.tab()
        if a and a["tag"] == "a" and want in a["text"] and (mode == "elder" or "退出" not in a["text"]):
            break
    if not R.check(a is not None and want in a["text"], f"keyboard: the {want} link is reachable by Tab on {label}",
                   f"last focused {describe(a)}"):
        return
    old = b.d.find_element(By.TAG_NAME, "body")
    b.enter()
    try:
        WebDriverWait(b.d, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "body") and
                                     d.execute_script("return document.readyState") == "complete")
    except (TimeoutException, WebDriverException):
        pass
    now_elder = b.body_is_elder()
    R.check(now_elder == (mode == "standard"), f"keyboard: Enter on “{a['text']}” switches the mode on {label}",
            f"body class elder is {now_elder}")
    here = urllib.parse.urlsplit(b.d.current_url)
    here = here.path + (("?" + here.query) if here.query else "")
    R.check(here == path, f"keyboard: the mode link returns to the same page on {label}", f"landed on {here}")
    b.set_mode(mode)


def elder_toggle_check(b, pages):
    """The toolbar link, found by its text: on, holds on the next page, off."""
    section("elderly mode toggle")
    b.d.delete_all_cookies()
    b.open("/")
    R.check(not b.body_is_elder(), "elder: a fresh visitor gets the standard mode")
    link = b.d.find_element(By.XPATH, "//a[contains(normalize-space(.), '长者模式')]")
    R.check("退出" not in link.text, "elder: the toolbar offers 长者模式", f"link reads “{link.text}”")
    link.click()
    WebDriverWait(b.d, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    R.check(b.body_is_elder(), "elder: clicking 长者模式 gives body class elder", b.d.current_url)
    R.check(urllib.parse.urlsplit(b.d.current_url).path == "/", "elder: the link comes back to the same page", b.d.current_url)
    # Another portal page, reached by following a link on the page.
    other = next((p for p in pages if p != "/" and p.startswith("/j/")), None) or next((p for p in pages if p != "/"), None)
    if other:
        try:
            b.d.find_element(By.CSS_SELECTOR, f"main a[href='{other}']").click()
            WebDriverWait(b.d, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
        except WebDriverException:
            b.open(other)
        R.check(urllib.parse.urlsplit(b.d.current_url).path == urllib.parse.urlsplit(other).path,
                f"elder: followed a link to {other}", b.d.current_url)
        R.check(b.body_is_elder(), f"elder: the mode holds on {other}")
    link = b.d.find_element(By.XPATH, "//a[contains(normalize-space(.), '长者模式')]")
    R.check("退出" in link.text, "elder: the toolbar offers to leave the elderly mode", f"link reads “{link.text}”")
    link.click()
    WebDriverWait(b.d, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    R.check(not b.body_is_elder(), "elder: 退出长者模式 gives the standard mode back", b.d.current_url)
    b.open("/")
    R.check(not b.body_is_elder(), "elder: the standard mode holds on the next page")
    b.drain_logs()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="http://127.0.0.1:PORT of a running fabu server")
    ap.add_argument("--admin-password", required=True)
    ap.add_argument("--admin-user", default="admin")
    ap.add_argument("--out", default="artifacts/browser")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--no-fixtures", action="store_true", help="do not publish an edition or a preview through the API")
    args = ap.parse_args()
    if urllib.parse.urlsplit(args.base).hostname != "127.0.0.1":
        raise SystemExit("--base must be on 127.0.0.1")
    started = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    axe_js = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    http = HTTP(args.base)

    section("staff API: activities and what is public")
    status, login = http.api("POST", "/auth/login", {"username": args.admin_user, "password": args.admin_password})
    if status != 200:
        raise SystemExit(f"login as {args.admin_user} answered {status}: {api_message(login)}")
    http.token = login["token"]
    activities = list_activities(http)
    public, hidden = classify(http, activities)
    print(f"  {len(activities)} activities: {len(public)} public, {len(hidden)} not public")
    R.check(len(hidden) >= 1, "the demo data holds unpublished activities",
            "no activity that is not public was found, so the leak check would prove nothing")

    hidden_pages_checked = []

    def not_on_portal(a):
        """One activity that must not be public yet: not on the home page, its column, feeds or sitemap; 404."""
        t = a["title"]
        for path in ("/", f"/j/{a['jurisdictionId']}", f"/j/{a['jurisdictionId']}/feed.rss",
                     f"/j/{a['jurisdictionId']}/feed.atom", "/sitemap.xml"):
            status, _, body = http.get(path)
            text = body.decode("utf-8", errors="replace")
            R.check(not any(v in text for v in title_variants(t)), f"scheduled without preview: “{t}” not on {path}")
        status, _, _ = http.get(f"/releases/{a['id']}")
        R.check(status == 404, f"scheduled without preview: /releases/{a['id']} answers 404", f"answered {status}")
        hidden_pages_checked.append(a["id"])

    if not args.no_fixtures:
        section("fixtures (staff API)")
        ensure_edition(http)
        ensure_preview(http, activities, not_on_portal)
        public, hidden = classify(http, activities)
        print(f"  now {len(public)} public, {len(hidden)} not public")
        R.check(len(hidden) >= 1, "unpublished activities remain after the fixtures")

    status, jlist = http.api("GET", "/jurisdictions")
    jurisdictions = {(j.get("id") if isinstance(j, dict) else j) for j in (jlist or [])} if status == 200 else set()

    section("crawl")
    docs, sitemap_paths = sitemap_and_feeds(http, jurisdictions)
    search_term = next((a["title"][:4] for a in sorted(public.values(), key=lambda a: a["title"])), "新闻发布")
    pages, bodies, others, forms = crawl(http, sitemap_paths, search_term)
    jurisdictions |= {p.split("/")[2] for p in pages if p.startswith("/j/")}
    for j in sorted(jurisdictions):
        for kind in ("rss", "atom"):
            if f"/j/{j}/feed.{kind}" not in docs:
                status, _, body = http.get(f"/j/{j}/feed.{kind}")
                if R.check(status == 200, f"/j/{j}/feed.{kind} answers 200", f"answered {status}"):
                    docs[f"/j/{j}/feed.{kind}"] = body.decode("utf-8", errors="replace")
    for target, refs in sorted(others.items()):
        if FEED_RE.match(urllib.parse.urlsplit(target).path) or target.startswith("/admin"):
            continue
        status, _, _ = http.get(target)
        R.check(status < 400, f"link {target} works", f"answered {status} (linked from {refs[0]})")
    templates = {}
    for p in pages:
        templates.setdefault(template_of(p, activities), []).append(p)
    for t, ps in sorted(templates.items()):
        print(f"  {t:16} {len(ps):3} page(s): {', '.join(ps[:4])}{' …' if len(ps) > 4 else ''}")
    for t in ("home", "column", "record", "edition"):
        R.check(t in templates, f"a {t} page was found", "not linked from / or the sitemap")
    if "preview" not in templates:
        R.note("no preview page is linked; the preview variant of the record page is not checked")

    section("nothing unpublished on the portal")
    for aid, a in sorted(hidden.items(), key=lambda kv: kv[1]["title"]):
        t = a["title"]
        if any(t == p["title"] for p in public.values()):
            R.note(f"“{t}” is also the title of a public activity; only its record page is checked")
        else:
            leaks = [name for name, text in list(bodies.items()) + list(docs.items())
                     if any(v in text for v in title_variants(t))]
            R.check(not leaks, f"unpublished “{t}” ({a['stage']}) appears nowhere", "found on " + ", ".join(leaks))
        linked = [name for name, text in list(bodies.items()) + list(docs.items()) if aid.lower() in text.lower()]
        R.check(not linked, f"unpublished “{t}” is linked nowhere (its id {aid})", "found on " + ", ".join(linked))
        status, _, body = http.get(f"/releases/{aid}")
        R.check(status == 404, f"/releases/{aid} of unpublished “{t}” answers 404", f"answered {status}")
    # Documents: only those marked public, and only of a record (not of a preview), can be downloaded.
    for aid, a in sorted(public.items()):
        status, full = http.api("GET", f"/activities/{aid}")
        if status != 200:
            continue
        page = bodies.get(f"/releases/{aid}", "").lower()
        for d in full.get("documents", []):
            url = f"/releases/{aid}/files/{d['id']}"
            shown = d["isPublic"] and a["stage"] != "scheduled"
            status, _, _ = http.get(url)
            if shown:
                R.check(status == 200, f"public document “{d['filename']}” of “{a['title']}” downloads", f"{url} answered {status}")
            else:
                why = "not marked public" if not d["isPublic"] else "of a preview"
                R.check(status == 404, f"document “{d['filename']}” ({why}) of “{a['title']}” answers 404", f"{url} answered {status}")
                R.check(d["id"].lower() not in page, f"document “{d['filename']}” ({why}) is not linked from /releases/{aid}")
    search_leak_checks(http, forms, hidden, public)
    print(f"  {len(hidden)} unpublished titles checked against {len(bodies)} pages, {len(docs)} feeds/sitemap"
          f" and {len(forms)} search form(s)")

    # ------------------------------------------------------------ browser
    browser_pages = sorted(pages, key=lambda p: (p not in [ps[0] for ps in templates.values()], pages.index(p)))[:MAX_PAGES]
    if len(pages) > MAX_PAGES:
        R.note(f"{len(pages)} pages crawled; the browser checks cover the first {MAX_PAGES} (one of each template first)")
    driver = make_driver(args.chromium, args.chromedriver)
    b = Browser(driver, args.base, axe_js)
    report = {"base": args.base, "axeVersion": None, "failOn": sorted(FAIL_IMPACTS), "runs": []}
    try:
        b.set_viewport("desktop")
        b.drain_logs()
        elder_toggle_check(b, pages)

        section("keyboard")
        for t, ps in sorted(templates.items()):
            for mode in MODES:
                b.set_mode(mode)
                keyboard_checks(b, ps[0], mode, t)
        b.set_mode("standard")
        b.drain_logs()

        section("screenshots, axe, console and requests")
        b.axe_self_test()
        shots = 0
        for mode in MODES:
            b.set_viewport("desktop")
            b.set_mode(mode)
            for vp in VIEWPORTS:
                b.set_viewport(vp)
                for path in browser_pages:
                    label = f"{path} ({mode}, {vp})"
                    b.open(path)
                    R.check(b.body_is_elder() == (mode == "elder"), f"{label} is in {mode} mode")
                    if vp == "desktop":
                        src = b.d.page_source
                        leaks = [a["title"] for a in hidden.values() if any(v in src for v in title_variants(a["title"]))
                                 and not any(a["title"] == p["title"] for p in public.values())]
                        R.check(not leaks, f"no unpublished title in the browser's {label}", ", ".join(leaks))
                    if vp == "phone":
                        wide = b.d.execute_script("return document.documentElement.scrollWidth - innerWidth")
                        if wide > 1:
                            R.note(f"{label} scrolls sideways by {wide}px at 390px wide")
                    b.screenshot(out / f"{slug_of(path, activities)}--{vp}--{mode}.png")
                    shots += 1
                    res = b.axe()
                    if "error" in res:
                        R.check(False, f"axe ran on {label}", res["error"])
                        continue
                    report["axeVersion"] = res["version"]
                    run = {"path": path, "template": template_of(path, activities), "mode": mode, "viewport": vp,
                           "incomplete": res["incomplete"], "passes": res["passes"], "violations": []}
                    bad = []
                    for v in res["violations"]:
                        nodes = [{"target": n["target"], "html": n["html"][:300], "failureSummary": n.get("failureSummary", "")}
                                 for n in v["nodes"]]
                        run["violations"].append({"id": v["id"], "impact": v["impact"], "help": v["help"],
                                                  "helpUrl": v["helpUrl"], "tags": v["tags"], "nodes": nodes})
                        targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                            for n in v["nodes"][:8])
                        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
                        print(f"  axe {v['impact'] or '?':8} {v['id']} on {label}: {v['help']}\n"
                              f"           targets: {targets}{more}", flush=True)
                        if v["impact"] in FAIL_IMPACTS:
                            bad.append(f"{v['id']} ({v['impact']})")
                    report["runs"].append(run)
                    R.check(not bad, f"axe: no serious or critical violation on {label}", ", ".join(bad))
                    b.check_logs_and_requests(label)
        print(f"  {shots} screenshots")
    finally:
        driver.quit()
        report["summary"] = {
            "runs": len(report["runs"]),
            "violations": sum(len(r["violations"]) for r in report["runs"]),
            "byImpact": {imp: sum(1 for r in report["runs"] for v in r["violations"] if v["impact"] == imp)
                         for imp in ("critical", "serious", "moderate", "minor")},
        }
        (out / "axe-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")

    section("result")
    print(f"  axe-core {report['axeVersion']}: {report['summary']['violations']} violation(s) in {report['summary']['runs']} runs "
          f"{report['summary']['byImpact']}; report: {out / 'axe-report.json'}")
    for n in R.notes:
        print(f"  note: {n}")
    for f in R.failures:
        print(f"  FAILED: {f}")
    print(f"  {time.time() - started:.0f} s")
    print(f"browser: {R.passed} passed, {len(R.failures)} failed", flush=True)
    return 1 if R.failures else 0


if __name__ == "__main__":
    sys.exit(main())
