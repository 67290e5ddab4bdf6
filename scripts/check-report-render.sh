#!/usr/bin/env bash
# check-report-render.sh - render an HTML report with headless Chromium, save a
# screenshot, and fail unless the page rendered cleanly.
#
# Made for the output of `vpcreach report SNAPSHOT --format html --output PATH`, which
# must be one self-contained file (inline CSS, inline JS, inline SVG, no external
# assets), but works on any local HTML file.
#
# What it checks, in one Chromium run:
#   1. JavaScript: no uncaught exception (including unhandled promise rejections), no
#      console.error()/console.assert() failure, no error-level browser log entry
#      (e.g. "Failed to load resource", CSP violations).
#   2. Network: no failed request, no HTTP status >= 400, and no request for anything
#      but file:, data:, blob: or about: URLs (a self-contained report fetches nothing;
#      --allow-external turns that last check off).
#   3. The page's own verdict: if its inline JS sets document.title to something that
#      starts with "ERROR", the check fails and prints the title. The title is read
#      after the load event, web fonts and two animation frames, i.e. from the same
#      live DOM that --dump-dom would print.
#   4. The screenshot: the PNG is written, decoded (a small stdlib-only PNG decoder:
#      IDAT inflate with zlib, then unfiltering), and must not be blank: at least
#      --min-colors distinct colours, and at least --min-ink percent of its pixels
#      differ from the most common (background) colour.
#
# How: Chromium is driven over the DevTools protocol through --remote-debugging-pipe
# (file descriptors 3 and 4, no TCP port) by an embedded python3 script. Plain
# --enable-logging output is not enough: it prints console.error() at the same INFO
# level as console.log() and does not print failed requests at all. Chromium's own
# stderr goes to a log file that is shown (tail) only when Chromium crashes or hangs;
# its D-Bus, GPU/vaapi and fontconfig complaints are noise, never failures.
#
# Chromium runs headless with --no-sandbox (CI runs as root), --disable-gpu, no first
# run, no extensions, no background networking and a throw-away --user-data-dir, so it
# needs no display and no network. The whole run is bounded by --timeout.
#
# Requirements: bash, python3 (stdlib only), coreutils `timeout`, and Debian's
# `chromium` (or `chromium-headless-shell`); scripts/install-chromium.sh installs it.
#
# Exit status: 0 the page rendered cleanly; 1 a check failed, Chromium is missing,
# crashed or timed out; 2 bad command line.

set -euo pipefail

PROG=${0##*/}

usage() {
    cat <<EOF
Usage: $PROG [options] HTML_FILE OUTPUT_PNG

Render HTML_FILE with headless Chromium, write a screenshot to OUTPUT_PNG, and exit 1
if the page had JavaScript errors, failed or external requests, an "ERROR..." title,
or if the screenshot is blank.

Options:
  --size WxH          viewport (and screenshot) size in CSS pixels (default: 1280x2000)
  --timeout SECS      give up after SECS seconds in all (default: 120)
  --min-colors N      least number of distinct colours in the screenshot (default: 16)
  --min-ink PERCENT   least percentage of pixels that differ from the background
                      colour (default: 0.5)
  --allow-external    do not fail on requests for http(s) or other non-local URLs
                      (failed requests still fail)
  --chromium PATH     browser binary (default: \$CHROMIUM, else the first found of
                      chromium, chromium-headless-shell, chromium-browser)
  --keep-log PATH     copy Chromium's own stderr log to PATH
  -h, --help          show this help

Example:
  vpcreach report snap/ --format html --output /tmp/report.html
  $PROG /tmp/report.html /tmp/report.png
EOF
}

die_usage() {
    echo "$PROG: $*" >&2
    echo "Try '$PROG --help'." >&2
    exit 2
}

fail() {
    echo "$PROG: FAIL: $*" >&2
    exit 1
}

size=1280x2000
timeout_secs=120
min_colors=16
min_ink=0.5
allow_external=0
chromium=${CHROMIUM:-}
keep_log=
positional=()

while [ $# -gt 0 ]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --size) [ $# -ge 2 ] || die_usage "--size needs a value"; size=$2; shift 2 ;;
        --size=*) size=${1#*=}; shift ;;
        --timeout) [ $# -ge 2 ] || die_usage "--timeout needs a value"; timeout_secs=$2; shift 2 ;;
        --timeout=*) timeout_secs=${1#*=}; shift ;;
        --min-colors) [ $# -ge 2 ] || die_usage "--min-colors needs a value"; min_colors=$2; shift 2 ;;
        --min-colors=*) min_colors=${1#*=}; shift ;;
        --min-ink) [ $# -ge 2 ] || die_usage "--min-ink needs a value"; min_ink=$2; shift 2 ;;
        --min-ink=*) min_ink=${1#*=}; shift ;;
        --allow-external) allow_external=1; shift ;;
        --chromium) [ $# -ge 2 ] || die_usage "--chromium needs a value"; chromium=$2; shift 2 ;;
        --chromium=*) chromium=${1#*=}; shift ;;
        --keep-log) [ $# -ge 2 ] || die_usage "--keep-log needs a value"; keep_log=$2; shift 2 ;;
        --keep-log=*) keep_log=${1#*=}; shift ;;
        --) shift; positional+=("$@"); break ;;
        -*) die_usage "unknown option: $1" ;;
        *) positional+=("$1"); shift ;;
    esac
done

[ ${#positional[@]} -eq 2 ] || die_usage "expected HTML_FILE and OUTPUT_PNG"
html=${positional[0]}
png=${positional[1]}

[[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || die_usage "--size must look like 1280x2000, got '$size'"
width=${BASH_REMATCH[1]}
height=${BASH_REMATCH[2]}
if [ "$width" -eq 0 ] || [ "$height" -eq 0 ]; then die_usage "--size must be positive"; fi
if ! [[ $timeout_secs =~ ^[0-9]+$ ]] || [ "$timeout_secs" -lt 10 ]; then
    die_usage "--timeout must be a whole number >= 10"
fi
[[ $min_colors =~ ^[0-9]+$ ]] || die_usage "--min-colors must be a whole number"
[[ $min_ink =~ ^[0-9]+([.][0-9]+)?$ ]] || die_usage "--min-ink must be a number"

[ -f "$html" ] || fail "no such file: $html"
[ -r "$html" ] || fail "cannot read: $html"
command -v python3 >/dev/null 2>&1 || fail "python3 is required"
command -v timeout >/dev/null 2>&1 || fail "coreutils 'timeout' is required"

if [ -z "$chromium" ]; then
    for candidate in chromium chromium-headless-shell chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then
            chromium=$(command -v "$candidate")
            break
        fi
    done
    [ -n "$chromium" ] || fail "no chromium found (tried chromium, chromium-headless-shell, chromium-browser); run scripts/install-chromium.sh or pass --chromium PATH"
elif ! command -v "$chromium" >/dev/null 2>&1; then
    fail "chromium binary not found or not executable: $chromium"
fi

png_dir=$(dirname -- "$png")
mkdir -p -- "$png_dir" || fail "cannot create directory $png_dir"
rm -f -- "$png"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-report-render.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

cat >"$work/driver.py" <<'PYTHON'
"""Drive headless Chromium over --remote-debugging-pipe, then check the screenshot."""
import base64
import fcntl
import json
import os
import pathlib
import select
import signal
import struct
import subprocess
import sys
import time
import zlib

(prog, chromium, html, png, width, height, user_data_dir, log_path, budget,
 min_colors, min_ink, allow_external) = sys.argv[1:]
width, height, budget = int(width), int(height), float(budget)
min_colors, min_ink, allow_external = int(min_colors), float(min_ink), allow_external == "1"
deadline = time.monotonic() + budget

problems = []   # each one makes the check fail
notes = []      # printed, never fatal


class Fatal(Exception):
    pass


def on_signal(signum, _frame):
    raise Fatal(f"interrupted by signal {signum} (timeout?)")


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

# ---------------------------------------------------------------- Chromium ---

# Chromium reads protocol messages from fd 3 and writes replies to fd 4. Put both pipe
# ends far above 4 first, so that the dup2 calls in the child cannot clobber each other.
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
child_in = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
child_out = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
os.close(to_chrome_r)
os.close(from_chrome_w)


def child_setup():
    os.dup2(child_in, 3)    # dup2 leaves the copies inheritable
    os.dup2(child_out, 4)


argv = [
    chromium,
    "--headless",
    "--remote-debugging-pipe",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
    f"--window-size={width},{height}",
    f"--user-data-dir={user_data_dir}",
    "--enable-logging=stderr",
    "--v=0",
    "about:blank",
]
log_file = open(log_path, "wb")
proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                        close_fds=False, preexec_fn=child_setup, start_new_session=True)
os.close(child_in)
os.close(child_out)
log_file.close()


def stop_chromium():
    """Ask the browser to quit, then kill the process group we started."""
    if proc.poll() is None:
        try:
            send("Browser.close")
        except OSError:
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # helpers (zygote, gpu, renderer) too
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait()


def log_tail(lines=25):
    try:
        text = pathlib.Path(log_path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    " + line for line in text[-lines:])


# ------------------------------------------------------- DevTools protocol ---

next_id = 0
replies = {}
events = []
buf = b""


def send(method, params=None, session=None):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    data = json.dumps(msg).encode() + b"\0"
    while data:
        n = os.write(to_chrome_w, data)
        data = data[n:]
    return next_id


def pump(until):
    """Read messages until until() is true; Fatal on EOF or when the deadline passes."""
    global buf
    while not until():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Fatal(f"timed out after {budget:.0f}s waiting for Chromium "
                        "(page still loading, or a script stuck in a loop?)")
        ready, _, _ = select.select([from_chrome_r], [], [], min(remaining, 0.25))
        if not ready:
            continue
        chunk = os.read(from_chrome_r, 1 << 20)
        if not chunk:
            raise Fatal(f"Chromium exited unexpectedly (status {proc.poll()}); its log ends:\n{log_tail()}")
        buf += chunk
        *messages, buf = buf.split(b"\0")
        for raw in messages:
            msg = json.loads(raw)
            if "id" in msg:
                replies[msg["id"]] = msg
            else:
                events.append(msg)


def call(method, params=None, session=None):
    mid = send(method, params, session)
    pump(lambda: mid in replies)
    reply = replies.pop(mid)
    if "error" in reply:
        raise Fatal(f"{method} failed: {reply['error'].get('message')}")
    return reply.get("result", {})


def settle(session, quiet=0.5, limit=10.0):
    """Pump until no request is in flight and nothing happened for `quiet` seconds."""
    end = min(time.monotonic() + limit, deadline)
    while time.monotonic() < end:
        seen = len(events)
        stop = time.monotonic() + quiet
        pump(lambda: time.monotonic() >= stop or len(events) != seen)
        if len(events) == seen and not in_flight(session):
            return


def in_flight(session):
    started, done = set(), set()
    for ev in events:
        if ev.get("sessionId") != session:
            continue
        if ev["method"] == "Network.requestWillBeSent":
            started.add(ev["params"]["requestId"])
        elif ev["method"] in ("Network.loadingFinished", "Network.loadingFailed"):
            done.add(ev["params"]["requestId"])
    return started - done


def remote_text(obj):
    if "value" in obj:
        return obj["value"] if isinstance(obj["value"], str) else json.dumps(obj["value"])
    return obj.get("description") or obj.get("unserializableValue") or obj.get("type", "?")


def where(url, line):
    if not url:
        return ""
    return f" ({url}:{line + 1})" if line is not None else f" ({url})"


def collect(session):
    """Turn protocol events into problems and notes."""
    urls, bad_urls = {}, set()
    for ev in events:   # first pass: URLs of failed requests, reported by the Network events
        p = ev.get("params", {})
        if ev["method"] == "Network.requestWillBeSent":
            urls[p["requestId"]] = p["request"]["url"]
        elif ev["method"] == "Network.loadingFailed":
            bad_urls.add(urls.get(p["requestId"]))
        elif ev["method"] == "Network.responseReceived" and (p["response"].get("status") or 0) >= 400:
            bad_urls.add(p["response"].get("url"))
    urls = {}
    for ev in events:
        method, p = ev["method"], ev.get("params", {})
        if method in ("Inspector.targetCrashed", "Target.targetCrashed"):
            problems.append("the page's renderer crashed")
        if ev.get("sessionId") != session:
            continue
        if method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            text = d.get("text", "Uncaught")
            if "exception" in d:   # its description is "Error: msg\n    at ..." (a stack)
                first = (remote_text(d["exception"]).splitlines() or [""])[0]
                text = f"{text} {first}".strip()
            problems.append(f"JavaScript: {text}{where(d.get('url'), d.get('lineNumber'))}")
        elif method == "Runtime.consoleAPICalled":
            msg = " ".join(remote_text(a) for a in p.get("args", []))
            frames = (p.get("stackTrace") or {}).get("callFrames") or [{}]
            loc = where(frames[0].get("url"), frames[0].get("lineNumber"))
            if p["type"] in ("error", "assert"):
                problems.append(f"console.{p['type']}: {msg}{loc}")
            elif p["type"] == "warning":
                notes.append(f"console.warn: {msg}{loc}")
        elif method == "Log.entryAdded":
            e = p["entry"]
            if e.get("source") == "network" and e.get("url") in bad_urls:
                continue    # "Failed to load resource": already reported from Network
            if e["level"] == "error":
                problems.append(f"browser log ({e.get('source')}): {e.get('text')}{where(e.get('url'), e.get('lineNumber'))}")
            elif e["level"] == "warning":
                notes.append(f"browser log ({e.get('source')}): {e.get('text')}")
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            urls[p["requestId"]] = url
            scheme = url.split(":", 1)[0].lower()
            if scheme not in ("file", "data", "blob", "about") and not allow_external:
                problems.append(f"external request (the report must be self-contained): {url[:200]}")
        elif method == "Network.loadingFailed":
            what = p.get("blockedReason") or p.get("errorText") or "failed"
            problems.append(f"request failed ({what}): {urls.get(p['requestId'], p['requestId'])[:200]}")
        elif method == "Network.responseReceived":
            status = p["response"].get("status") or 0
            if status >= 400:
                problems.append(f"HTTP {status}: {p['response'].get('url', '')[:200]}")
    return len(urls)


# -------------------------------------------------------------- PNG check ---

def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(path):
    """Return (width, height, channels, rows); 8-bit, non-interlaced PNGs only."""
    data = pathlib.Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, palette, ihdr = 8, [], None, None
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            palette = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None or not idat:
        raise ValueError("PNG has no IHDR or no IDAT")
    w, h, depth, color, _, _, interlace = ihdr
    if depth != 8 or interlace != 0 or color not in (0, 2, 3, 4, 6):
        raise ValueError(f"unsupported PNG (bit depth {depth}, colour type {color}, interlace {interlace})")
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    stride = w * bpp
    raw = zlib.decompress(b"".join(idat))
    if len(raw) < h * (stride + 1):
        raise ValueError("PNG image data is truncated")
    lo7 = int.from_bytes(b"\x7f" * stride, "big")
    hi1 = int.from_bytes(b"\x80" * stride, "big")
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        start = y * (stride + 1)
        ftype = raw[start]
        cur = bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 0:
            pass
        elif ftype == 1:    # Sub
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 0xFF
        elif ftype == 2:    # Up: bytewise add without carries, on one big integer
            a = int.from_bytes(cur, "big")
            b = int.from_bytes(prev, "big")
            cur = bytearray((((a & lo7) + (b & lo7)) ^ ((a ^ b) & hi1)).to_bytes(stride, "big"))
        elif ftype == 3:    # Average
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:    # Paeth
            for i in range(stride):
                if i >= bpp:
                    cur[i] = (cur[i] + paeth(cur[i - bpp], prev[i], prev[i - bpp])) & 0xFF
                else:
                    cur[i] = (cur[i] + prev[i]) & 0xFF
        else:
            raise ValueError(f"bad PNG filter type {ftype} in row {y}")
        rows.append(cur)
        prev = cur
    if color == 3:
        if palette is None:
            raise ValueError("palette PNG without PLTE")
        rows = [bytearray(b"".join(palette[3 * i:3 * i + 3] for i in r)) for r in rows]
        bpp = 3
    return w, h, bpp, rows


def check_png(path):
    from collections import Counter
    try:
        w, h, bpp, rows = decode_png(path)
    except (ValueError, zlib.error, OSError) as e:
        problems.append(f"screenshot {path} is not a readable PNG: {e}")
        return None
    counts = Counter()
    for r in rows:
        if bpp >= 3:
            counts.update(zip(r[0::bpp], r[1::bpp], r[2::bpp]))   # colour; alpha ignored
        else:
            counts.update(r[0::bpp])
    total = w * h
    background, bg_count = counts.most_common(1)[0] if counts else (None, 0)
    ink = 100.0 * (total - bg_count) / total if total else 0.0
    colours = len(counts)
    if (w, h) != (width, height):
        notes.append(f"screenshot is {w}x{h}, expected {width}x{height}")
    if colours < min_colors or ink < min_ink:
        problems.append(f"screenshot looks blank: {colours} distinct colours (need >= {min_colors}), "
                        f"{ink:.2f}% of pixels differ from the background {background} "
                        f"(need >= {min_ink}%)")
    return f"{w}x{h}, {colours} colours, {ink:.1f}% ink"


# -------------------------------------------------------------------- run ---

status = 1
try:
    try:
        url = pathlib.Path(html).resolve().as_uri()
        call("Target.setDiscoverTargets", {"discover": True})
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network", "Inspector"):
            call(f"{domain}.enable", session=session)
        call("Emulation.setDeviceMetricsOverride",
             {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        nav = call("Page.navigate", {"url": url}, session)
        if nav.get("errorText"):
            raise Fatal(f"could not load {url}: {nav['errorText']}")
        pump(lambda: any(e["method"] == "Page.loadEventFired" and e.get("sessionId") == session
                         for e in events))
        settle(session)
        # Web fonts and two animation frames, so that what the page drew after load is in.
        title = call("Runtime.evaluate", {
            "expression": "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame("
                          "() => requestAnimationFrame(() => r(document.title)))))",
            "awaitPromise": True, "returnByValue": True}, session)
        if "exceptionDetails" in title:
            raise Fatal("could not read document.title")
        title = title["result"].get("value") or ""
        shot = call("Page.captureScreenshot", {"format": "png", "fromSurface": True}, session)
        pathlib.Path(png).write_bytes(base64.b64decode(shot["data"]))
        settle(session, quiet=0.2, limit=2.0)
    finally:
        stop_chromium()
    if title.startswith("ERROR"):
        problems.append(f"the page reported an error in its title: {title!r}")
    n_requests = collect(session)
    summary = check_png(png)
    for note in notes:
        print(f"{prog}: note: {note}", file=sys.stderr)
    if problems:
        for problem in problems:
            print(f"{prog}: FAIL: {problem}", file=sys.stderr)
        print(f"{prog}: FAIL: {html}: {len(problems)} problem(s); screenshot in {png}", file=sys.stderr)
    else:
        print(f"{prog}: ok: {html} -> {png} ({summary}; {n_requests} request(s), title {title!r})")
        status = 0
except Fatal as e:
    print(f"{prog}: FAIL: {e}", file=sys.stderr)
sys.exit(status)
PYTHON

# The driver has its own deadline a little before ours and cleans Chromium up on the
# way out; `timeout` is the backstop (SIGTERM, which the driver handles, then SIGKILL).
rc=0
timeout --kill-after=10 "$timeout_secs" \
    python3 "$work/driver.py" "$PROG" "$chromium" "$html" "$png" "$width" "$height" \
    "$work/profile" "$work/chromium.log" "$((timeout_secs - 5))" \
    "$min_colors" "$min_ink" "$allow_external" || rc=$?

if [ -n "$keep_log" ]; then
    cp -- "$work/chromium.log" "$keep_log" 2>/dev/null || echo "$PROG: note: could not write $keep_log" >&2
fi

case $rc in
    0) exit 0 ;;
    124|137) fail "timed out after ${timeout_secs}s rendering $html" ;;
    *) exit 1 ;;
esac
