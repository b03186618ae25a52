"""Pilot tests for the graph explorer (g): the last step's real autograd graph, rooted where the learner asks."""

import re
from functools import partial

from app_helpers import make_app, panel, send, until, wait_until, widget_text
from quick_pilot import fill, keys, palette_typed

from microgpt_engine import Trainer
from microgpt_engine.insight.graph import GraphView
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_tui.features.graph.screen import GraphScreen, parse_weight
from microgpt_tui.features.graph.tree import CHUNK, GraphTree
from microgpt_tui.texts import NODE_KINDS

SIZE = (120, 40)


def tree_lines(app):
    return widget_text(app.screen.query_one(GraphTree)).splitlines()


def side(app):
    return widget_text(app.screen.query_one("#graph-breakdown"))


def labels(node):
    return [child.label.plain for child in node.children]


async def test_g_before_any_step_says_so_and_after_two_the_root_is_the_status_lines_loss_and_enter_opens_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "g")  # before any step: there is no graph, and the main screen stays
        await pilot.pause()
        assert app.screen is app.main
        assert "No step's graph to show yet" in panel(app, "#status")
        await keys(pilot, "space", "space")
        status_loss = float(re.search(r"loss (\d+\.\d+)", panel(app, "#status")).group(1))
        await keys(pilot, "g")
        await pilot.pause()
        assert isinstance(app.screen, GraphScreen)
        root = tree_lines(app)[1]
        shown = float(re.search(r"data\s+(-?\d+\.\d+)", root).group(1))
        assert "loss" in root and round(shown, 3) == status_loss
        await keys(pilot, "enter")  # the cursor starts on the root
        await pilot.pause()
        tree = app.screen.query_one(GraphTree)
        n = len(app.lab.stepping.latest.positions)
        assert [label.split()[0] for label in labels(tree.root)] == [f"cross_entropy@pos{p}" for p in range(n)]
        assert any("cross_entropy@pos0" in line for line in tree_lines(app))
        await keys(pilot, "escape")
        assert app.screen is app.main


async def test_g_while_training_pauses_and_shows_the_graph_of_the_step_it_stopped_at():
    app = make_app(steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")  # (sent, not pressed: while training Pilot waits ~1 s for an idle CPU)
        await until(pilot, lambda: app.lab.trainer.step_count >= 3)
        await keys(pilot, "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        assert app.lab.mode == "paused"
        assert app.screen.graph.step == app.lab.trainer.step_count
        title = widget_text(app.screen.query_one("#graph-title"))
        assert (
            f"step {app.lab.trainer.step_count} on “{app.lab.trainer.document(app.lab.trainer.step_count - 1)}”"
            in title
        )


async def test_a_bad_weight_is_refused_and_a_weight_root_lists_its_uses_and_their_shares_add_up_to_its_grad():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "g", "w")
        await fill(pilot, "#graph-weight", "wte[99,0]")  # refused with a message; the tree keeps its root
        await keys(pilot, "enter")
        await pilot.pause()
        error = widget_text(app.screen.query_one("#graph-error"))
        assert "wte is 27×16: there is no [99,0]" in error
        assert "loss" in tree_lines(app)[1]
        first = app.lab.stepping.latest.doc[0]  # its wte row was used at position 1
        await fill(pilot, "#graph-weight", f"wte[{first},3]")
        await keys(pilot, "enter")
        await pilot.pause()
        row = app.lab.trainer.tokenizer.encode(first)[0]
        graph = GraphView(app.lab.trainer)
        node = graph.node(graph.param_id("wte", row, 3))
        assert f"wte[{row},3]" in tree_lines(app)[1]
        text = side(app)
        grad = re.search(r"grad (-?\d+\.\d+)", text).group(1)
        total = re.search(r"sum of the \d+ shares (-?\d+\.\d+) = grad ✓", text).group(1)
        assert total == grad == f"{node.grad:.4f}"
        assert "How the loss reaches it" in text and text.rstrip().splitlines()[-1].strip().startswith("→ loss")
        await keys(pilot, "enter")  # open the weight's uses
        await pilot.pause()
        uses = labels(app.screen.query_one(GraphTree).root)
        assert uses and all("sends" in use for use in uses)


async def test_o_offers_the_true_next_token_first_enter_roots_the_tree_at_its_logit_and_a_wide_node_opens_in_chunks():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "right", "g", "o")
        await pilot.pause()
        target = app.lab.stepping.latest.doc[1]  # position 1 predicts the second character
        options = widget_text(app.screen.query_one("#graph-logits"))
        assert options.splitlines()[1].strip("│ ").startswith(f"{target}  logit")
        await keys(pilot, "enter")
        await pilot.pause()
        assert f"logit[{target}]@pos1" in tree_lines(app)[1]
        assert f"the logit of {target} at position 1" in widget_text(app.screen.query_one("#graph-title"))
        # a wide node of the same graph opens a chunk at a time through a "more" row
        tree = app.screen.query_one(GraphTree)
        wide = next(i for i in range(len(tree.graph)) if tree.graph.node(i).n_children > CHUNK)
        n = tree.graph.node(wide).n_children
        tree.show(wide)
        tree.focus()
        await keys(pilot, "space")
        await pilot.pause()
        assert app.lab.trainer.step_count == 1  # (space opened the node: it took no step)
        assert len(tree.root.children) == CHUNK + 1
        assert labels(tree.root)[-1] == f"… {n - CHUNK} more"
        await keys(pilot, "end", "enter")  # the cursor to the "more" row, then open it
        await pilot.pause()
        assert len(tree.root.children) == min(n, 2 * CHUNK) + (n > 2 * CHUNK)


async def test_the_command_palette_opens_the_graph():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        await palette_typed(pilot, "autograd")
        await wait_until(pilot, lambda: "autograd graph (g)" in widget_text(app.screen.query_one("CommandList")))
        await keys(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))


# From the loss down to one probability of the last position's cross-entropy, p = exp(…) × total**-1:
# open the loss, its sum, the last cross-entropy, its log, and stop on the product.
TO_A_PRODUCT = ("enter", "down", "enter", "down", "down", "enter", "down", "enter", "down")


async def test_plain_engine_g_shows_the_value_graph_with_each_scalar_op_explained():
    """--engine plain: g opens the real one-Value-per-operation graph, its numbers the engine's."""
    app = make_app(trainer_class=partial(Trainer, engine="plain"))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))  # (built on a worker)
        engine = ValueGraph(app.lab.trainer)
        loss = engine.node(engine.loss_id)
        title = widget_text(app.screen.query_one("#graph-title"))
        assert f"{len(engine):,} nodes · root: the loss · plain engine: one Value per + * ** exp log relu" in title
        root = tree_lines(app)[1]
        assert "*" in root and "loss" in root and f"data {loss.data:.4f}" in re.sub(r"\s+", " ", root)
        await keys(pilot, *TO_A_PRODUCT)
        await pilot.pause()
        tree = app.screen.query_one(GraphTree)
        node = engine.node(tree.cursor_node.data.id)
        last = engine.num_positions - 1
        assert (node.op, node.label) == ("*", f"*@pos{last}")
        assert [e.node.op for e in engine.children(node.id)] == ["exp", "**-1"]
        text = side(app)
        assert NODE_KINDS["*"] in " ".join(text.split())
        assert f"grad {node.grad:.4f}" in text and "= grad ✓" in text
        await keys(pilot, "enter", "down")  # its first input: the softmax numerator exp(logit − max)
        await pilot.pause()
        node = engine.node(tree.cursor_node.data.id)
        assert node.op == "exp" and f"exp@pos{last}" in tree_lines(app)[tree.cursor_line + 1]
        text = " ".join(side(app).split())
        assert NODE_KINDS["exp"] in text and f"data {node.data:.4f}" in text


def test_weights_parse_by_number_or_by_character_and_refuse_with_a_reason():
    shapes = {"wte": (3, 4), "layer0.attn_wq": (4, 4)}
    vocab = ["a", "b", "◆"]
    assert parse_weight("wte[1,2]", shapes, vocab) == ("wte", 1, 2)
    assert parse_weight(" wte[ b , 0 ] ", shapes, vocab) == ("wte", 1, 0)
    assert parse_weight("wte[BOS,3]", shapes, vocab) == ("wte", 2, 3)
    assert parse_weight("layer0.attn_wq[3,3]", shapes, vocab) == ("layer0.attn_wq", 3, 3)
    for text, reason in [
        ("wte", "write matrix[row,col]"),
        ("wpe[0,0]", "no weight matrix named 'wpe'"),
        ("layer0.attn_wq[a,0]", "give a number 0..3"),
        ("wte[0,4]", "wte is 3×4: there is no [0,4]"),
    ]:
        try:
            parse_weight(text, shapes, vocab)
        except ValueError as exc:
            assert reason in str(exc)
        else:
            raise AssertionError(f"{text} was accepted")


def test_plain_engine_graph_view_snapshot(snap_compare):
    """The plain Value graph opened down to one product of the last cross-entropy, its kind explained."""

    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await keys(pilot, "space", "g")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, GraphScreen))  # (built on a worker)
        await keys(pilot, *TO_A_PRODUCT)

    app = make_app(trainer_class=partial(Trainer, engine="plain"))
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
