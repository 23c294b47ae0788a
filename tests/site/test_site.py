"""The built book as its readers see it: every page opened in a real, headless Chromium.

Run after `make book` with `make site-test` (marker `site`; plain `pytest` deselects these tests,
since they need the built site). Every page listed in the table of contents must exist: a
missing site fails here, it is never skipped. Per page, the test fails on a console error, an
image that does not load, a link to a local page or anchor that does not exist, a chapter
without its Colab and Binder buttons, or noise left in the outputs (a traceback, TensorFlow's
log lines, a NumPy scalar's repr or a bare string shown because a cell ended in `glue(...)`).
The search box must find pages. A full-width screenshot of every page is saved under
_build/screenshots/ for a person to look at.

The browser is Debian's Chromium with its chromedriver (never downloaded by selenium). Offline,
requests to other hosts fail (MathJax comes from a CDN): those failures, and only those, are
reported without failing the test.
"""
import functools
import os
import re
import shutil
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
# A partial build (a temporary toc of the chapters written so far) sets SITE_TOC.
TOC = Path(os.environ.get("SITE_TOC", ROOT / "_toc.yml"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "_build" / "screenshots"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
WIDTH = 1280

# What must not reach a reader in a cell's output.
NOISE = {
    "a Python traceback": r"Traceback \(most recent call last\)",
    "a C++ log line (I0000, W0000...)": r"(?m)^[IWEF]\d{4} \d\d:\d\d:\d\d|\b[IWEF]0000\b",
    "a oneDNN notice": r"oneDNN",
    "a CUDA message": r"(?i)\bcuda",
    "an absl log line": r"\babsl\b",
    "a TensorFlow log line": r"WARNING:tensorflow|tensorflow/(core|compiler|tsl)/",
    "a Python warning": r"\b\w*Warning: ",
    "a Keras progress bar": r"\d+/\d+ ━",
    "a raw terminal escape code": "\x1b\\[",
    "a NumPy scalar's repr (a cell ending in glue(...)?)": r"\bnp\.(float|int|uint|bool)\w*\(",
}


def toc_pages():
    """The HTML page of every file in the table of contents."""
    toc = yaml.safe_load(TOC.read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return [f"{name}.html" for name in files]


def site_pages():
    """Every HTML page the build wrote, whether or not the toc lists it."""
    if not SITE.is_dir():
        return []
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if not p.relative_to(SITE).parts[0].startswith("_"))


PAGES = sorted(set(toc_pages()) | set(site_pages()) | {"index.html", "search.html"})


def launch_urls(page):
    """The Colab and Binder links a chapter must offer: to its committed .ipynb."""
    repo = CONFIG["repository"]
    org_repo = urlsplit(repo["url"]).path.strip("/")
    notebook = f"{page[:-len('.html')]}.ipynb"
    launch = CONFIG["launch_buttons"]
    return {
        "Colab": f"{launch['colab_url']}/github/{org_repo}/blob/{repo['branch']}/{notebook}",
        "Binder": f"{launch['binderhub_url']}/v2/gh/{org_repo}/{repo['branch']}"
                  f"?urlpath=lab/tree/{notebook}",
    }


@functools.lru_cache(maxsize=None)
def ids_in(path):
    """The anchors a link may point to on a page of the site."""
    text = Path(path).read_text(encoding="utf-8")
    return set(re.findall(r'\s(?:id|name)="([^"]+)"', text))


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: run `make book` first")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="site-test-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 f"--window-size={WIDTH},900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def is_local(url, base_url):
    return url.startswith(base_url)


def console_errors(driver, base_url):
    """SEVERE console entries, split into our own and failed requests to other hosts."""
    ours, external = [], []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        message = entry["message"]
        url = message.split(" ", 1)[0]
        offline = re.match(r"https?://", url) and not is_local(url, base_url) and "net::ERR_" in message
        (external if offline else ours).append(message)
    return ours, external


def broken_links(driver, base_url, page):
    """Links to local pages that do not exist, or to anchors absent from their page."""
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'), a => a.href);")
    problems = set()
    for href in hrefs:
        if not is_local(href, base_url):
            continue
        parts = urlsplit(href)
        path = unquote(parts.path)[1:] or "index.html"
        target = SITE / path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.add(f"broken link to {path} (from {page})")
        elif parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in ids_in(target):
                problems.add(f"broken anchor {path}#{parts.fragment}")
    return sorted(problems)


def missing_images(driver):
    return driver.execute_script(
        "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.currentSrc || i.src);")


def noisy_outputs(driver):
    outputs = driver.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output'), o => o.innerText);")
    problems = []
    for text in outputs:
        for what, pattern in NOISE.items():
            match = re.search(pattern, text)
            if match:
                line = text[:match.end()].rsplit("\n", 1)[-1] + text[match.end():].split("\n", 1)[0]
                problems.append(f"{what} in a cell output: {line.strip()[:160]!r}")
    results = driver.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output .output.text_plain'),"
        " o => o.innerText.trim());")
    problems += [f"a bare string shown as a cell's result (print it, or end with ';'): {text}"
                 for text in results if re.fullmatch(r"'[^'\n]*'|\"[^\"\n]*\"", text)]
    return problems


def missing_launch_buttons(driver, page):
    if not (ROOT / page).with_suffix(".ipynb").exists() or not (ROOT / page).with_suffix(".md").exists():
        return []  # only chapters with a paired notebook get launch buttons
    hrefs = set(driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'), a => a.href);"))
    return [f"no {name} button opening {url}" for name, url in launch_urls(page).items()
            if url not in hrefs]


def screenshot(driver, page):
    """A full-length screenshot at reading width, for a person to look at."""
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": min(int(height), 16000), "deviceScaleFactor": 1,
        "mobile": False})
    target = SCREENSHOTS / page.replace("/", "__").replace(".html", ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def open_page(driver, base_url, page):
    driver.get_log("browser")  # drop what earlier pages left behind
    driver.get(base_url + page)
    driver.execute_script("return document.fonts.ready;")


@pytest.mark.parametrize("page", PAGES)
def test_page(browser, base_url, page):
    assert (SITE / page).is_file(), f"{page} is listed in {TOC.name} but was not built"
    open_page(browser, base_url, page)
    if page == "index.html":
        root = toc_pages()[0]
        assert browser.current_url == base_url + root, "index.html must lead to the first page"
    screenshot(browser, page)
    problems, offline = console_errors(browser, base_url)
    problems += [f"image did not load: {src}" for src in missing_images(browser)]
    problems += broken_links(browser, base_url, page)
    problems += noisy_outputs(browser)
    problems += missing_launch_buttons(browser, page)
    for message in offline:
        print(f"ignored (another host, unreachable offline): {message}")
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


def test_every_toc_page_was_built():
    missing = [page for page in toc_pages() if not (SITE / page).is_file()]
    assert not missing, f"pages of {TOC.name} missing from {SITE}: {missing}"


def test_search_finds_the_lstm(browser, base_url):
    """A reader's search: the sidebar's search box, a word, Enter, and pages come back."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(browser, base_url, toc_pages()[0])
    visible = [b for b in browser.find_elements(By.CSS_SELECTOR, "button.search-button__button")
               if b.is_displayed()]
    assert visible, "no visible search button"
    visible[0].click()
    box = WebDriverWait(browser, 10).until(
        lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "#pst-search-dialog input")
                        if e.is_displayed()), None))
    box.send_keys("LSTM", Keys.ENTER)
    results = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.search li a"))
    assert "search.html" in browser.current_url and results, "searching for LSTM found nothing"
