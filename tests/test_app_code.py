"""The code view (k): microgpt's textbook file behind the focused panel, its lines lit with live values."""

from app_helpers import make_app, widget_text

from microgpt_engine.ops import neg_log
from microgpt_engine.textbook_file import TEXTBOOK
from microgpt_tui.features.reference.code_screen import CodeScreen

SIZE = (120, 40)


def words(text):
    return " ".join(text.split())


async def open_on(pilot, panel, *keys):
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.press("space", "space", *keys)
    app.main.query_one(f"#{panel}").focus()
    await pilot.press("k")
    await pilot.pause()
    assert isinstance(app.screen, CodeScreen)
    return app.screen


def listing(screen):
    return next(item for item in screen.view.listings if item.key == screen.shown)


def marked(screen):
    return [line for line in listing(screen).lines if line.highlight]


async def test_the_attention_panel_lights_the_attention_line_with_the_heatmaps_selected_row():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "attention", "right", "right", "l")
        assert screen.shown == "forward"
        line = next(line for line in marked(screen) if "attn_weights = softmax(attn_logits)" in line.text)
        heatmap = app.main.query_one("#attention")
        row = heatmap.sequence.attention[heatmap.layer_index][heatmap.head][heatmap.position]
        weights = "[" + ", ".join(f"{w:.3f}" for w in row) + "]"
        assert line.values[0].startswith(f"attn_weights = {weights}  (layer 0, head 1, query pos 2")
        shown = words(widget_text(screen.query_one("#code-text")))
        assert f"attn_weights = softmax(attn_logits) ⇒ attn_weights = {weights}" in shown


async def test_the_lines_are_the_textbook_files_own():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "attention")
        file_lines = TEXTBOOK.read_text().splitlines()
        for section in screen.view.listings:  # every section: the file's lines, numbered as in the file, in order
            lines = [line for line in section.lines if line.number]
            assert {line.file for line in lines} == {str(TEXTBOOK)}
            assert all(file_lines[line.number - 1] == line.text for line in lines)
            assert [line.number for line in lines] == list(range(lines[0].number, lines[-1].number + 1))
        forward = next(item for item in screen.view.listings if item.key == "forward")
        assert forward.lines[0].text.startswith("def linear(")
        assert forward.lines[-1].text.strip() == 'return linear(x, state_dict["lm_head"])'


async def test_the_token_panel_lights_softmax_and_the_loss_with_this_positions_minus_log_p():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "tokens", "right")
        assert screen.shown == "loss"
        seq, pos = app.lab.shown(), app.lab.selection.position
        nll = neg_log(seq.probs[pos][seq.targets[pos]])
        loss_t = next(line for line in marked(screen) if "loss_t = -probs[target_id].log()" in line.text)
        assert loss_t.values[0].endswith(f"loss_t = {nll:.4f}")
        assert any("probs = softmax(logits)" in line.text for line in marked(screen))  # the softmax before it
        assert "the fused engine computes the same numbers faster" in listing(screen).note


async def test_the_parameters_light_the_adam_update_and_the_samples_light_sampling():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "params")
        assert screen.shown == "adam"
        lr = next(line for line in marked(screen) if "lr_t = learning_rate *" in line.text)
        assert lr.values == (f"lr_t = {app.lab.stepping.latest.lr:.6f} (update 2 of 40)",)
        await pilot.press("escape")
        app.main.query_one("#samples").focus()
        await pilot.press("k")
        assert app.screen.shown == "sampling"
        assert any("temperature = 0.5" in v for line in marked(app.screen) for v in line.values)
        await pilot.press("up")  # the section before: shown, with nothing marked in it
        assert app.screen.shown == "adam" and marked(app.screen) == []
        assert "the Adam update" in app.screen.query_one("#code-body").border_title


async def test_with_no_panel_focused_k_opens_the_forward_pass_and_the_palette_offers_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        assert "the code behind it (k)" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("k")
        assert isinstance(app.screen, CodeScreen) and app.screen.shown == "forward" and marked(app.screen) == []
        await pilot.press("escape")
        assert not isinstance(app.screen, CodeScreen)


def test_code_view_snapshot(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("space", "space", "right", "right")
        pilot.app.main.query_one("#attention").focus()
        await pilot.press("k")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_each_stage_of_the_forward_view_marks_its_own_lines_of_the_forward_pass():
    from test_glossary import make_lab

    from microgpt_tui.features.reference.code import STAGE_LINES, code_view

    lab = make_lab(1)
    lab.move(1)

    def marked_lines(stage):
        view = code_view(lab.session, lab.rules, None, stage)
        listing = next(item for item in view.listings if item.key == view.selected)
        return [line for line in listing.lines if line.highlight]

    for stage in STAGE_LINES:
        assert marked_lines(f"layer0.{stage}"), stage  # every stage marks at least one line
    norms = [line for stage in ("emb_norm", "layer0.attn_norm", "layer0.mlp_norm") for line in marked_lines(stage)]
    assert [line.text.split("#")[0].strip() for line in norms] == ["x = rmsnorm(x)"] * 3
    assert len({line.number for line in norms}) == 3  # three different lines
    residuals = [line for stage in ("layer0.attn_residual", "layer0.mlp_residual") for line in marked_lines(stage)]
    assert len(residuals) == 2 and all("zip(x, x_residual)" in line.text for line in residuals)
    assert len({line.number for line in residuals}) == 2
    row = lab.shown().attention[0][0][1]
    values = [v for line in marked_lines("layer0.attn_weights") for v in line.values]
    assert any(v.startswith("attn_weights = [" + ", ".join(f"{w:.3f}" for w in row)) for v in values)


async def test_from_the_forward_view_k_lights_the_stages_line_and_moving_the_stage_moves_the_light():
    from microgpt_tui.features.forward.screen import ForwardScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space", "right", "v")
        assert isinstance(app.screen, ForwardScreen)
        while app.lab.forward.view().selected != "layer0.q":
            await pilot.press("down")
        await pilot.press("k")
        screen = app.screen
        assert isinstance(screen, CodeScreen) and screen.shown == "forward"
        [line] = marked(screen)
        assert "q = linear(" in line.text
        stage = next(s for s in app.lab.forward.view().trace.stages if s.name == "layer0.q")
        assert line.values[0].startswith(f"layer0.q at pos 1 = [{stage.values[0]:+.3f}, ")
        await pilot.press("down")  # the forward view's next stage: k
        assert app.lab.forward.view().selected == "layer0.k"
        [line] = marked(app.screen)
        assert "k = linear(" in line.text
        await pilot.press("escape")
        assert isinstance(app.screen, ForwardScreen)  # back where it was, at the stage the code view left
