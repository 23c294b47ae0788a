"""The built book as its readers see it: every page opened in a real, headless Chromium.

Run after `make book` with `make site-test` (marker `site`; plain `pytest` deselects these
tests, since they need the built site). Every page listed in the table of contents must exist: a
missing site fails here, it is never skipped. Per page, the test fails on a console error, an
image that does not load, a link to a local page or anchor that does not exist, a chapter
without its Colab and Binder buttons, or noise left in the outputs (a traceback, TensorFlow's
log lines, a NumPy scalar's repr or a bare string shown because a cell ended in `glue(...)`).
The site must need no network: any request that leaves the local server (a script, a font, a
CDN's MathJax) fails the page, and so does math left as raw TeX. The search box must find pages.
The demo page's widget is driven as a reader would: test digits loaded, digits drawn with the
mouse, the row slider moved with the keyboard. A full-width screenshot of every page, and of the
widget at desktop and phone width and in the dark theme, is saved under _build/screenshots/.

The browser is Debian's Chromium with its chromedriver (never downloaded by selenium).
"""

import functools
import json
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
    "a matplotlib object's repr (end the cell with ';')": r"(?m)^\(?\[?(Text\(|<matplotlib\.)",
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
    return sorted(
        str(p.relative_to(SITE))
        for p in SITE.rglob("*.html")
        if not p.relative_to(SITE).parts[0].startswith("_")
    )


PAGES = sorted(set(toc_pages()) | set(site_pages()) | {"index.html", "search.html"})


def launch_urls(page):
    """The Colab and Binder links a chapter must offer: to its committed .ipynb."""
    repo = CONFIG["repository"]
    org_repo = urlsplit(repo["url"]).path.strip("/")
    notebook = f"{page[: -len('.html')]}.ipynb"
    launch = CONFIG["launch_buttons"]
    return {
        "Colab": f"{launch['colab_url']}/github/{org_repo}/blob/{repo['branch']}/{notebook}",
        "Binder": f"{launch['binderhub_url']}/v2/gh/{org_repo}/{repo['branch']}"
        f"?urlpath=lab/tree/{notebook}",
    }


@functools.cache
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
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},900",
    ]:
        options.add_argument(flag)
    # "performance" records every network request, so that requests leaving the site show up
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def is_local(url, base_url):
    return url.startswith(base_url)


def console_errors(driver):
    """SEVERE console entries: script errors, and requests that failed."""
    return [
        entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
    ]


def requests_made(driver):
    """The URL of every request the page made (and its scripts, fonts, frames, sockets)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def outside_requests(urls, base_url):
    """Requests that leave the local server: the site must carry everything it needs.

    data:, blob: and the browser's own chrome:// pages never reach a network."""
    return sorted(
        {
            url
            for url in urls
            if re.match(r"(https?|wss?|ftp)://", url) and not is_local(url, base_url)
        }
    )


# Math left as TeX: display or inline delimiters, environments, common commands, $x_t$.
RAW_TEX = (
    r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\(frac|sigma|odot|tanh|text|mathbf|left|right)\b"
    r"|\$[^$\n]*[\\^_][^$\n]*\$"
)
TYPESET = """
const done = arguments[arguments.length - 1];
const maths = document.querySelectorAll(".math");
if (maths.length === 0) { done("no math"); return; }
const started = Date.now();
(function wait() {
  const startup = window.MathJax && window.MathJax.startup;
  if (startup && startup.promise) {
    startup.promise.then(() => done("typeset"), (error) => done("MathJax failed: " + error));
  } else if (Date.now() - started > 20000) {
    done("MathJax never started");
  } else {
    setTimeout(wait, 100);
  }
})();
"""
PROSE = """
const article = document.querySelector("article") || document.body;
const copy = article.cloneNode(true);
copy.querySelectorAll("pre, code, script, style, textarea, mjx-container, .highlight")
    .forEach((node) => node.remove());
return [copy.textContent,
        Array.from(document.querySelectorAll(".math")).filter(
            (node) => !node.querySelector("mjx-container")).map((node) => node.textContent)];
"""


def raw_tex(driver):
    """Math that MathJax did not turn into typeset formulas, as the reader would see it."""
    status = driver.execute_async_script(TYPESET)
    if status not in ("typeset", "no math"):
        return [status]
    prose, untypeset = driver.execute_script(PROSE)
    problems = [f"math left as raw TeX: {text.strip()[:80]!r}" for text in untypeset]
    for match in re.finditer(RAW_TEX, prose):
        context = prose[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
        problems.append(f"raw TeX in the text: ...{context.strip()}...")
    return problems


def broken_links(driver, base_url, page):
    """Links to local pages that do not exist, or to anchors absent from their page."""
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'), a => a.href);"
    )
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
        ".map(i => i.currentSrc || i.src);"
    )


def noisy_outputs(driver):
    outputs = driver.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output'), o => o.innerText);"
    )
    problems = []
    for text in outputs:
        for what, pattern in NOISE.items():
            match = re.search(pattern, text)
            if match:
                line = (
                    text[: match.end()].rsplit("\n", 1)[-1]
                    + text[match.end() :].split("\n", 1)[0]
                )
                problems.append(f"{what} in a cell output: {line.strip()[:160]!r}")
    results = driver.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output .output.text_plain'),"
        " o => o.innerText.trim());"
    )
    problems += [
        f"a bare string shown as a cell's result (print it, or end with ';'): {text}"
        for text in results
        if re.fullmatch(r"'[^'\n]*'|\"[^\"\n]*\"", text)
    ]
    return problems


def missing_launch_buttons(driver, page):
    if (
        not (ROOT / page).with_suffix(".ipynb").exists()
        or not (ROOT / page).with_suffix(".md").exists()
    ):
        return []  # only chapters with a paired notebook get launch buttons
    hrefs = set(
        driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), a => a.href);"
        )
    )
    return [
        f"no {name} button opening {url}"
        for name, url in launch_urls(page).items()
        if url not in hrefs
    ]


def screenshot(driver, page):
    """A full-length screenshot at reading width, for a person to look at."""
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);"
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": WIDTH,
            "height": min(int(height), 16000),
            "deviceScaleFactor": 1,
            "mobile": False,
        },
    )
    target = SCREENSHOTS / page.replace("/", "__").replace(".html", ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def open_page(driver, base_url, page):
    driver.get_log("browser")  # drop what earlier pages left behind
    driver.get_log("performance")
    driver.get(base_url + page)
    driver.execute_script("return document.fonts.ready;")


@pytest.mark.parametrize("page", PAGES)
def test_page(browser, base_url, page):
    assert (SITE / page).is_file(), f"{page} is listed in {TOC.name} but was not built"
    open_page(browser, base_url, page)
    if page == "index.html":
        root = toc_pages()[0]
        assert browser.current_url == base_url + root, "index.html must lead to the first page"
    problems = raw_tex(browser)
    screenshot(browser, page)
    problems += console_errors(browser)
    problems += [f"image did not load: {src}" for src in missing_images(browser)]
    problems += broken_links(browser, base_url, page)
    problems += noisy_outputs(browser)
    problems += missing_launch_buttons(browser, page)
    urls = requests_made(browser)
    problems += [
        f"a request left the site (it must work offline): {url}"
        for url in outside_requests(urls, base_url)
    ]
    if not browser.find_elements("id", "lstm-demo"):
        problems += [
            f"the demo's files load on a page without the demo: {url}"
            for url in urls
            if "/lstm-demo/" in url
        ]
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
    visible = [
        b
        for b in browser.find_elements(By.CSS_SELECTOR, "button.search-button__button")
        if b.is_displayed()
    ]
    assert visible, "no visible search button"
    visible[0].click()
    box = WebDriverWait(browser, 10).until(
        lambda d: next(
            (
                e
                for e in d.find_elements(By.CSS_SELECTOR, "#pst-search-dialog input")
                if e.is_displayed()
            ),
            None,
        )
    )
    box.send_keys("LSTM", Keys.ENTER)
    results = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.search li a")
    )
    assert "search.html" in browser.current_url and results, "searching for LSTM found nothing"


# ---- The demo page: "Watch an LSTM read" ----

DEMO = "chapters/demo/watch_the_lstm.html"
DEMO_ASSETS = SITE / "lstm-demo" / "model"
DRAWN = json.loads((ROOT / "demo" / "drawn_digits.json").read_text())["digits"]
PHONE = 375


def demo_page(driver, base_url):
    """Open the demo page and wait for its widget to load the network."""
    from selenium.webdriver.support.ui import WebDriverWait

    if DEMO not in toc_pages():
        pytest.skip(f"{DEMO} is not in {TOC.name} (a partial build)")
    open_page(driver, base_url, DEMO)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.getElementById('lstm-demo').dataset.ready")
    )
    return driver.find_element("id", "lstm-demo")


def role(widget, name):
    return widget.find_element("css selector", f'[data-role="{name}"]')


def reads(widget):
    """How many times the widget has read an image (it counts them in data-reads)."""
    return int(widget.get_attribute("data-reads"))


def inked_fraction(driver, canvas):
    """The fraction of a canvas' pixels that differ from its top-left (paper) pixel."""
    return driver.execute_script(
        """
        const c = arguments[0];
        const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let differ = 0;
        for (let k = 0; k < data.length; k += 4) {
          if (Math.abs(data[k] - data[0]) + Math.abs(data[k + 1] - data[1])
              + Math.abs(data[k + 2] - data[2]) > 30) differ++;
        }
        return differ / (data.length / 4);""",
        canvas,
    )


def draw(driver, pad, strokes):
    """Draw strokes given on the demo's 280 x 280 pad with the mouse (pointer events)."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    size = pad.size["width"]
    scale = size / 280
    for stroke in strokes:
        points = [(round(x * scale - size / 2), round(y * scale - size / 2)) for x, y in stroke]
        actions = ActionChains(driver, duration=0)
        actions.move_to_element_with_offset(pad, *points[0]).click_and_hold()
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if (x1, y1) != (x0, y0):
                actions.move_by_offset(x1 - x0, y1 - y0)
        actions.release().perform()


def test_demo_assets_are_in_the_site():
    manifest = json.loads((DEMO_ASSETS / "model.json").read_text())
    weights = (DEMO_ASSETS / manifest["weights"]).stat().st_size
    assert weights == 4 * sum(  # float32: every tensor the manifest lists, nothing else
        functools.reduce(lambda a, b: a * b, t["shape"], 1)
        for t in manifest["tensors"].values()
    )
    assert len(manifest["samples"]) == 10 and (DEMO_ASSETS / "golden.json").exists()
    # the page's text and the network it serves come from the same run of the chapter
    accuracy = f"{manifest['info']['test_accuracy']:.3f}"
    assert accuracy in (SITE / DEMO).read_text(), f"the page does not quote accuracy {accuracy}"


def test_demo_reads_each_test_digit_as_keras_does(browser, base_url):
    widget = demo_page(browser, base_url)
    manifest = json.loads((DEMO_ASSETS / "model.json").read_text())
    buttons = widget.find_elements("css selector", '[data-role="sample"]')
    assert len(buttons) == len(manifest["samples"])
    answers = []
    for button in buttons:
        button.click()
        answers.append(int(role(widget, "prediction").text))
        assert button.get_attribute("aria-pressed") == "true"
    assert answers == [sample["keras_prediction"] for sample in manifest["samples"]]
    assert console_errors(browser) == []


def test_demo_reproduces_the_golden_file_in_the_browser(browser, base_url):
    """The page's lstm.js, in Chromium, against TensorFlow's per-row gates, states and
    probabilities (golden.json, written by the demo chapter); prints the time of one pass."""
    demo_page(browser, base_url)
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const base = new URL("../../lstm-demo/", location.href);
          const { parseModel, read } = await import(new URL("lstm.js", base));
          const manifest = await (await fetch(new URL("model/model.json", base))).json();
          const weights = await (await fetch(new URL("model/" + manifest.weights, base)))
            .arrayBuffer();
          const golden = await (await fetch(new URL("model/golden.json", base))).json();
          const model = parseModel(manifest, weights);
          let worst = 0, same = true;
          for (const digit of golden.digits) {
            const run = read(model, digit.pixels.map((p) => Math.fround(p / 255)));
            same = same && run.prediction === digit.prediction;
            for (const name of ["i", "f", "g", "o", "c", "h", "probabilities"]) {
              run.rows.forEach((row, t) => row[name].forEach((v, k) => {
                worst = Math.max(worst, Math.abs(v - digit.rows[name][t][k]));
              }));
            }
          }
          const image = golden.digits[0].pixels.map((p) => p / 255);
          for (let k = 0; k < 10; k++) read(model, image);
          const started = performance.now();
          for (let k = 0; k < 100; k++) read(model, image);
          const ms = (performance.now() - started) / 100;
          return { worst, same, digits: golden.digits.length, ms };
        })().then(done, (error) => done({ error: String(error) }));""")
    assert "error" not in result, result
    print(
        f"golden: {result['digits']} digits, largest difference {result['worst']:.1e}; "
        f"one 28-row pass in Chromium: {result['ms']:.2f} ms"
    )
    assert result["digits"] >= 3 and result["same"] and result["worst"] <= 1e-4


def test_demo_reads_digits_drawn_with_the_mouse(browser, base_url):
    """Ten digits drawn with the mouse (demo/drawn_digits.json); prints how each was read."""
    from selenium.webdriver.support.ui import WebDriverWait

    widget = demo_page(browser, base_url)
    pad, image = role(widget, "draw"), role(widget, "image")
    before = role(widget, "prediction").text
    readings, changed = [], False
    blank_note = widget.find_element("css selector", ".ld-blank")
    for digit in DRAWN:
        role(widget, "clear").click()
        assert blank_note.is_displayed(), (
            "after Clear the widget must say that it reads a blank image"
        )
        empty = inked_fraction(browser, image)  # the pixel grid and the row marker only
        count = reads(widget)
        draw(browser, pad, digit["strokes"])
        # within a second of the pen's release the answer is there, with no other click
        WebDriverWait(browser, 1, poll_frequency=0.02).until(
            lambda d, count=count: reads(widget) > count,
            "no new reading within a second of drawing",
        )
        answer = role(widget, "prediction").text
        assert re.fullmatch(r"\d", answer), f"the prediction shows {answer!r}, not a digit"
        assert not blank_note.is_displayed()
        assert inked_fraction(browser, pad) > 0.05, "the drawing pad stayed blank"
        assert inked_fraction(browser, image) > empty + 0.05, (
            "the image the network reads is blank"
        )
        changed |= answer != before
        before = answer
        readings.append((digit["label"], int(answer)))
    right = sum(label == answer for label, answer in readings)
    print(
        "drawn -> read: "
        + ", ".join(f"{label}->{answer}" for label, answer in readings)
        + f" ({right} of {len(readings)} right)"
    )
    assert changed, "the prediction never changed while drawing ten different digits"
    assert right >= 8, f"only {right} of 10 drawn digits read right: {readings}"
    role(widget, "clear").click()
    assert inked_fraction(browser, pad) < 0.05 and blank_note.is_displayed()
    assert console_errors(browser) == []


def test_demo_row_slider_moves_with_the_keyboard(browser, base_url):
    from selenium.webdriver.common.keys import Keys

    widget = demo_page(browser, base_url)
    slider = role(widget, "row")
    label = widget.find_element("css selector", 'label[for="lstm-demo-row"]')
    assert "Row" in label.text, "the slider has no visible label"
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", slider
    )
    slider.send_keys(Keys.HOME)
    assert slider.get_attribute("value") == "1" and "Row 1 of 28" in label.text
    bars = widget.find_element("css selector", ".ld-bars")
    first = bars.screenshot_as_png
    for _ in range(14):
        slider.send_keys(Keys.ARROW_RIGHT)
    assert slider.get_attribute("value") == "15"
    assert slider.get_attribute("aria-valuetext") == "row 15 of 28"
    assert "row 15" in widget.text.replace("\n", " ").lower()
    assert bars.screenshot_as_png != first, "moving the row did not redraw the probabilities"
    slider.send_keys(Keys.END)
    assert slider.get_attribute("value") == "28"


def widget_screenshot(driver, base_url, name, width, mobile=False):
    """The whole widget, at a given window width, in a window tall enough to hold it."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": 3000,
            "deviceScaleFactor": 2 if mobile else 1,
            "mobile": mobile,
        },
    )
    widget = demo_page(driver, base_url)
    driver.execute_script(  # halfway through the digit: more to see than at the blank last row
        "arguments[0].value = 15; arguments[0].dispatchEvent(new Event('input'));"
        "arguments[1].scrollIntoView()",
        role(widget, "row"),
        widget,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    widget.screenshot(str(SCREENSHOTS / f"demo-{name}.png"))
    return widget


def test_demo_screenshots_desktop_phone_dark(browser, base_url):
    """Screenshots of the widget for a person to look at; no horizontal overflow on a phone;
    the dark theme gives the widget dark paper."""
    try:
        widget = widget_screenshot(browser, base_url, "desktop", WIDTH)
        light_paper = browser.execute_script(
            "return getComputedStyle(arguments[0]).getPropertyValue('--ld-paper')", widget
        )
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE, "height": 800, "deviceScaleFactor": 2, "mobile": True},
        )
        widget = demo_page(browser, base_url)
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, arguments[0].scrollWidth,"
            " arguments[0].getBoundingClientRect().right]",
            widget,
        )
        assert widths[0] <= PHONE and widths[2] <= PHONE, (
            f"wider than a {PHONE} px phone: {widths}"
        )
        draw(browser, role(widget, "draw"), DRAWN[3]["strokes"])  # the pad is smaller here
        assert role(widget, "prediction").text == "3"
        widget_screenshot(browser, base_url, "phone", PHONE, mobile=True)
        browser.execute_script(
            "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"
        )
        widget = widget_screenshot(browser, base_url, "dark", WIDTH)
        assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
        dark_paper = browser.execute_script(
            "return getComputedStyle(arguments[0]).getPropertyValue('--ld-paper')", widget
        )
        assert dark_paper != light_paper
        pixel = browser.execute_script(
            "return Array.from(arguments[0].getContext('2d').getImageData(1, 1, 1, 1).data)",
            role(widget, "image"),
        )
        assert sum(pixel[:3]) < 3 * 80, (
            f"the digit's paper is not dark in the dark theme: {pixel}"
        )
        assert console_errors(browser) == []
    finally:
        browser.execute_script("localStorage.clear()")
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
