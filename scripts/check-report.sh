#!/usr/bin/env bash
# Checks an HTML report from `lab report` as a user would see it: opens it in headless Chromium (Debian's chromium
# package), with the network blocked, dumps the DOM after the page's script ran and takes a screenshot, then checks
# that every chart drew: each <svg class="chart"> with its stable id is there, holds data marks (polyline points,
# points, bars) and laid them out with a non-empty bounding box (the page's script records that as data-drawn="yes");
# the comparison table has rows; nothing is loaded from outside the file.
#
# usage: scripts/check-report.sh REPORT.html [SCREENSHOT.png]
#   SCREENSHOT.png defaults to REPORT.png beside the report.
#   CHECK_REPORT_ALLOW_EMPTY=1  accept a chart with no data (e.g. read charts for a write-only workload).
#   CHECK_REPORT_HEIGHT=N       screenshot height in pixels (default 7000; width 1280).
# Exit codes: 0 all charts drew; 1 a chart is missing, empty or did not draw; 2 usage; 3 no Chromium.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
html="$1"
if [[ ! -f "$html" ]]; then
  echo "check-report: no such file: $html" >&2
  exit 2
fi
html_abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
png="${2:-${html_abs%.html}.png}"

chrome=""
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" >/dev/null 2>&1; then chrome="$(command -v "$c")"; break; fi
done
if [[ -z "$chrome" ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "check-report: installing Debian's chromium package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chrome="$(command -v chromium || true)"
  fi
  if [[ -z "$chrome" ]]; then
    echo "check-report: Chromium not found; install it with: apt-get install -y chromium" >&2
    exit 3
  fi
fi
py="$(command -v python3 || true)"
if [[ -z "$py" ]]; then
  echo "check-report: python3 is needed to read the dumped DOM" >&2
  exit 3
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/check-report.XXXXXX")"
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-extensions --hide-scrollbars
       --host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=5000)

if ! timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$work/profile-dom" --dump-dom "file://$html_abs" \
      >"$work/dom.html" 2>"$work/chromium-dom.log"; then
  echo "check-report: chromium --dump-dom failed:" >&2
  tail -20 "$work/chromium-dom.log" >&2
  exit 1
fi
if ! timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$work/profile-png" \
      --window-size="1280,${CHECK_REPORT_HEIGHT:-7000}" --screenshot="$png" "file://$html_abs" \
      >"$work/chromium-png.log" 2>&1 || [[ ! -s "$png" ]]; then
  echo "check-report: chromium --screenshot failed:" >&2
  tail -20 "$work/chromium-png.log" >&2
  exit 1
fi

status=0
"$py" - "$work/dom.html" "${CHECK_REPORT_ALLOW_EMPTY:-0}" <<'PY' || status=$?
import re
import sys
from html.parser import HTMLParser

REQUIRED = ["chart-percentiles-write", "chart-percentiles-read", "chart-timeline-write", "chart-timeline-read",
            "chart-timeline-throughput", "chart-latency-throughput-write", "chart-latency-throughput-read",
            "chart-hops"]
dom_path, allow_empty = sys.argv[1], sys.argv[2] == "1"


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts = {}          # id -> {"attrs", "polylines" (with points), "points", "bars"}
        self.current = None
        self.depth = 0
        self.external = []
        self.body = {}
        self.table_rows = 0
        self.in_table = False
        self.in_tbody = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        for key in ("src", "href", "xlink:href"):
            v = (a.get(key) or "").strip().lower()
            if v.startswith(("http:", "https:", "//", "ftp:")):
                self.external.append("<%s %s=%s>" % (tag, key, a.get(key)))
        if tag == "link" and a.get("href") and not a["href"].startswith("#"):
            self.external.append("<link href=%s>" % a["href"])
        if tag == "script" and a.get("src"):
            self.external.append("<script src=%s>" % a["src"])
        if tag == "table" and a.get("id") == "comparison":
            self.in_table = True
        if self.in_table and tag == "tbody":
            self.in_tbody = True
        if self.in_tbody and tag == "tr":
            self.table_rows += 1
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self.current = {"attrs": a, "polylines": 0, "points": 0, "bars": 0}
            self.charts[a.get("id", "?")] = self.current
            self.depth = 0
        elif self.current is not None:
            if tag == "svg":
                self.depth += 1
            cls = (a.get("class") or "").split()
            if tag == "polyline" and "series" in cls:
                pts = re.findall(r"-?[\d.]+\s*,\s*-?[\d.]+", a.get("points") or "")
                if pts:
                    self.current["polylines"] += 1
            if tag == "circle" and "point" in cls:
                self.current["points"] += 1
            if tag == "rect" and "bar" in cls and float(a.get("height") or 0) > 0:
                self.current["bars"] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = self.in_tbody = False
        if tag == "svg" and self.current is not None:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1


dom = Dom()
with open(dom_path, encoding="utf-8") as f:
    dom.feed(f.read())

problems, lines = [], []
if not dom.body:
    problems.append("the dumped DOM has no <body>: the page did not load")
if dom.body and "data-charts-drawn" not in dom.body:
    problems.append("the page's script did not run (no data-charts-drawn on <body>)")
for cid in REQUIRED:
    c = dom.charts.get(cid)
    if c is None:
        problems.append("chart missing: svg#%s" % cid)
        continue
    marks = c["polylines"] + c["points"] + c["bars"]
    drawn = c["attrs"].get("data-drawn")
    lines.append("  %-32s %3d lines with points, %4d points, %3d bars, drawn=%s, visible marks=%s"
                 % (cid, c["polylines"], c["points"], c["bars"], drawn, c["attrs"].get("data-visible-marks")))
    if marks == 0:
        if allow_empty:
            lines[-1] += "  (empty, allowed)"
        else:
            problems.append("chart has no data: svg#%s (no polyline points, points or bars)" % cid)
    elif drawn != "yes":
        problems.append("chart did not draw in the browser: svg#%s (data-drawn=%s)" % (cid, drawn))
if dom.table_rows == 0:
    problems.append("comparison table missing or empty: table#comparison")
for e in dom.external:
    problems.append("external resource (the report must open with no network): " + e)

print("check-report: %d charts in the page, %s drew; comparison table: %d rows"
      % (len(dom.charts), dom.body.get("data-charts-drawn", "?"), dom.table_rows))
print("\n".join(lines))
if problems:
    for p in problems:
        print("check-report: FAIL: " + p, file=sys.stderr)
    sys.exit(1)
print("check-report: OK")
PY
echo "check-report: screenshot $png"
exit $status
