"""Pilot tests for honesty on samples: a new name shows the nearest training name and its edit distance."""

from app_helpers import DOCS, make_app, panel, wait_until
from quick_pilot import keys

from microgpt_engine.insight.names import NameIndex

SIZE = (120, 40)


def shows(line, text):
    """The panel shows `text`, or as much of it as fits before an ellipsis."""
    return line == text or (line.endswith("…") and text.startswith(line[:-1]))


async def sample_one(pilot):
    app = pilot.app
    await keys(pilot, "s")
    await wait_until(pilot, lambda: app.lab.mode == "paused" and app.lab.drawing.samples.entries)
    return app.lab.drawing.samples.entries[0]


async def test_a_new_sample_shows_its_nearest_training_name_and_edit_distance():
    app = make_app(sample_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # the name index is built off the UI thread
        name, known = await sample_one(pilot)
        assert not known  # an untrained model makes up names
        near = NameIndex(DOCS).nearest(name)
        assert near.distance > 0
        lines = [line.strip("│ ") for line in panel(app, "#samples").splitlines()]
        assert lines[1] == "T 0.5"  # the temperature its names were drawn at, above them
        assert shows(lines[2], name)  # the newest sample comes first, its nearest name under it
        assert shows(lines[3], f"≈ {near.doc} ({near.distance})")
        edits = "edit" if near.distance == 1 else "edits"
        assert f"nearest training name “{near.doc}”, {near.distance} {edits} away" in panel(app, "#status")


async def test_samples_drawn_before_the_index_is_ready_get_their_nearest_name_when_it_is():
    app = make_app(sample_interval=0.01)
    held, start = [], app._start
    app._start = lambda job: held.append(job) if job.group == "names" else start(job)  # hold the index back
    async with app.run_test(size=SIZE) as pilot:
        name, known = await sample_one(pilot)
        assert "≈" not in panel(app, "#samples") and "in no line of the data: new" in panel(app, "#status")
        start(held.pop())  # now build it
        await wait_until(pilot, lambda: name in app.lab.drawing.nearest)
        await pilot.pause()
        assert f"≈ {NameIndex(DOCS).nearest(name).doc}" in panel(app, "#samples")


async def test_a_nearest_training_name_a_megabyte_long_shows_clipped_and_the_status_note_stays_bounded():
    """Two 1 MB lines of data: a view never carries them whole (measuring 1 MB for the screen took seconds)."""
    docs = ["ab" * 500_000, "qz" * 500_000]
    app = make_app(sample_interval=0.01, docs=docs)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        name, known = await sample_one(pilot)
        assert not known
        ((shown, doc, distance),) = app.lab.samples_view().nearest
        near = NameIndex(docs).nearest(name)
        assert (shown, distance) == (name, near.distance) and doc == near.doc[:39] + "…"
        lines = [line.strip("│ ≈") for line in panel(app, "#samples").splitlines()]
        assert any(shows(line, doc) for line in lines if near.doc[:8] in line)
        assert len(app.lab.status().note) <= 600  # (the first note quoted a whole 1 MB document)
