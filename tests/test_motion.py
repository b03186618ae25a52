"""Motion (issue 25): the app's last minute of screens exported as an asciicast that asciinema itself reads and as
an animated SVG that Chromium plays frame by frame; the loss curve's animation from the run's history."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import make_app, wait_until
from lab_helpers import begun_lab

from microgpt_tui.features.motion.frames import Frame, FrameRing, pick, plain
from microgpt_tui.features.motion.state import LOSS_FRAMES
from microgpt_tui.features.motion.svg import write_svg

CHROMIUM = Path("/usr/bin/chromium")
ASCIINEMA = shutil.which("asciinema", path=str(Path(sys.executable).parent)) or shutil.which("asciinema")


def frame(t, *rows, width=6):
    return Frame(t, width, len(rows), tuple(f"\x1b[1;31m{r:<{width}}\x1b[0m" for r in rows))


def test_the_ring_keeps_the_last_seconds_once_per_change_and_shares_unchanged_rows():
    ring = FrameRing(10)
    assert ring.add(frame(0, "a", "b"))
    assert not ring.add(frame(1, "a", "b"))  # the same screen: nothing new to keep
    assert ring.add(frame(2, "a", "c"))
    assert list(ring) == [frame(0, "a", "b"), frame(2, "a", "c")]  # (kept packed: they unpack as they were)
    for t in range(3, 30):
        ring.add(frame(t, "a", str(t)))
    assert [f.time for f in ring] == list(range(19, 30))  # the one on screen at the window's start, and after
    recent = ring.recent(now=29.5, seconds=5)
    assert (
        recent[0].time == 24.5
        and recent[0].text.split() == ["a", "24"]
        and [f.time for f in recent[1:]] == [25, 26, 27, 28, 29]
    )
    assert [f.time for f in pick(recent, 3)] == [24.5, 27, 29]


def read_cast(path):
    """What asciinema itself prints of a cast (`asciinema cat`), without its colour codes, row by row."""
    if ASCIINEMA is None:
        pytest.skip("asciinema not installed (pip install '.[test]')")
    result = subprocess.run([ASCIINEMA, "cat", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return plain(result.stdout)


async def test_x_exports_the_last_minute_as_a_cast_asciinema_plays_and_an_svg_of_its_screens(tmp_path):
    app = make_app(tmp_path, config={"n_embd": 8, "n_head": 2})
    ring = app.lab.motion.ring
    async with app.run_test(size=(80, 24)) as pilot:
        for key, shown in ((None, "step 0/40"), ("space", "step 1/40"), ("space", "step 2/40"), ("s", "SAMPLING")):
            if key:
                await pilot.press(key)
            await wait_until(pilot, lambda shown=shown: len(ring) and shown in list(ring)[-1].text)  # the timer's look
        await pilot.press("X")
        await wait_until(pilot, lambda: "exported" in app.lab.session.event)  # (written off the UI thread)
        frames = app.lab.motion.ring.recent(app.lab.motion.clock())
        note = app.lab.session.event
        await pilot.press("X")  # a second export never replaces the first
        await wait_until(pilot, lambda: "-2.cast" in app.lab.session.event and "exported" in app.lab.session.event)
        await app.run_action("export_training")  # the palette's "export the loss curve as an animation"
        assert "exported microgpt-loss-step2.svg (the loss over 2 steps, 2 frames)" in app.lab.session.event
    cast, svg = tmp_path / "microgpt-last60s-step2.cast", tmp_path / "microgpt-last60s-step2.svg"
    count = int(re.search(rf"exported {cast.name} \((\d+) screens", note).group(1))
    frames = frames[:count]  # (the ring took the note's toast since: the export had the ones before)
    assert len(cast.read_text().splitlines()) == 1 + count and f"{svg.name} ({count} frames)" in note, note
    assert len(frames) >= 4  # the start, two steps, the sample
    shown = read_cast(cast)
    for screen in frames:  # every screen's every row reaches the player
        for row in screen.text.splitlines():
            assert row in shown
    assert "step 2/40" in shown and "SAMPLING" in shown
    assert svg.read_text().count('<g class="frame"') == len(frames)

    assert (tmp_path / "microgpt-last60s-step2-2.svg").exists() and read_cast(cast) == shown


def screens(count):
    """`count` screens of a few coloured rows, each different, half a second apart."""
    return [frame(i / 2, f"step {i}", "loss", width=10) for i in range(count)]


@pytest.fixture
def chromium_page():
    """A page of the system Chromium (never `playwright install`) that may load only file: URLs; the URLs it
    was refused are in page.refused."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")
    from test_serve import CHROMIUM_ARGS

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page()
            page.refused = []
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("file:")
                    else (page.refused.append(route.request.url), route.abort())
                ),
            )
            yield page
        finally:
            browser.close()


VISIBLE_AT = """(t) => {
  const svg = document.documentElement;
  svg.pauseAnimations();
  svg.setCurrentTime(t);
  return [...document.querySelectorAll('g.frame')].filter((g) => getComputedStyle(g).visibility === 'visible')
    .map((g) => g.id);
}"""


def test_the_svgs_play_in_chromium_frame_by_frame_and_reach_for_nothing_outside(chromium_page, tmp_path, small_docs):
    page = chromium_page
    svg = tmp_path / "screens.svg"
    shown = pick(screens(30), 12)
    write_svg(svg, shown, "twelve of thirty")
    page.goto(svg.as_uri())
    assert page.evaluate("document.querySelectorAll('g.frame').length") == 12
    assert page.evaluate("document.querySelectorAll('script, image, foreignObject').length") == 0
    for i, screen in enumerate(shown):  # each frame alone on show from its time to the next one's
        assert page.evaluate(VISIBLE_AT, screen.time + 0.1) == [f"frame-{i}"], i
    assert "step 29" in page.evaluate("document.querySelector('#frame-11').textContent").replace("\xa0", " ")

    lab = begun_lab(small_docs, tmp_path)
    for _ in range(12):
        lab.step()
    lab.motion.export_training()
    loss = tmp_path / "microgpt-loss-step12.svg"
    page.goto(loss.as_uri())
    frames = min(LOSS_FRAMES, 12)
    assert page.evaluate("document.querySelectorAll('g.frame').length") == frames
    assert page.evaluate(VISIBLE_AT, 0.1) == ["frame-0"] and page.evaluate(VISIBLE_AT, 0.25 * 11 + 0.1) == ["frame-11"]
    last = page.evaluate("document.querySelector('#frame-11').textContent")
    assert f"loss {lab.session.history.loss(12):.4f}" in last and f"{lab.session.history.mean:.4f}" in last
    assert page.refused == []
    for text in (svg.read_text(), loss.read_text()):
        assert not re.search(r"(href|url\()\s*=?\s*[\"']?(https?:|//)", text)  # no web font, no link out
