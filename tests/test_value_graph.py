"""The plain engine's real graph, one `Value` per scalar operation: the fused view's questions, the same numbers."""

import pytest

import microgpt_engine.train as train_module
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.graph import GraphView
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_tui.texts import NODE_KINDS, node_kind

CONFIG = Config(n_embd=8, n_head=2, steps=50, seed=5)


@pytest.fixture
def both(small_docs):
    """(plain trainer, its ValueGraph, fused trainer, its GraphView, plain record) after the same first step.

    (From the same weights: after it, the weights differ in the last bits, as their gradients do.)
    """
    plain, fused = Trainer(small_docs, CONFIG, engine="plain"), Trainer(small_docs, CONFIG, engine="fused")
    record = plain.step()
    fused.step()
    return plain, ValueGraph(plain), fused, GraphView(fused), record


def close(a, b):
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))


def test_every_nodes_gradient_is_the_sum_of_its_uses_and_each_edge_is_the_values_own(both):
    _, view, _, _, _ = both
    checked = 0
    for i in range(len(view)):
        value = view._nodes[i]
        # children: the Value's own children, with the local derivatives it stored, times its grad
        kids = view.children(i)
        assert [view._nodes[e.node.id] for e in kids] == list(value._children)
        assert [e.local_grad for e in kids] == list(value._local_grads)
        assert all(e.contribution == e.local_grad * value.grad for e in kids)
        if i == view.loss_id:
            continue
        edges = view.gradient_breakdown(i)
        assert close(sum(e.contribution for e in edges), view.node(i).grad), (i, view.label(i))
        assert all(e.parent_grad == view.node(e.node.id).grad for e in edges)
        checked += bool(edges)
    assert checked == len(view) - 1 - sum(view.gradient_breakdown(i) == [] for i in range(view.num_params))


def test_the_loss_logits_and_weights_equal_the_fused_views_for_the_same_step(both):
    plain, view, fused, tape_view, record = both
    assert plain.document(0) == fused.document(0)
    loss = view.node(view.loss_id)
    assert loss.data == tape_view.node(tape_view.loss_id).data == record.loss  # the forward is bit for bit
    assert (loss.label, loss.grad, loss.pos) == ("loss", 1.0, None)
    assert view.num_positions == tape_view.num_positions == len(record.positions)
    for p in range(view.num_positions):
        logits = [view.node(i).data for i in view.logit_ids(p)]
        assert logits == [tape_view.node(i).data for i in tape_view.logit_ids(p)]
        ce, tape_ce = view.node(view.cross_entropy_id(p)), tape_view.node(tape_view.cross_entropy_id(p))
        assert ce.data == tape_ce.data and ce.label == tape_ce.label == f"cross_entropy@pos{p}" and ce.pos == p
    # The parameters are the first nodes in both, in the same order; their gradients agree to rounding.
    assert view.num_params == tape_view.num_params == plain.model.num_params
    for i in range(view.num_params):
        mine, theirs = view.node(i), tape_view.node(i)
        assert (mine.label, mine.op, mine.data) == (theirs.label, theirs.op, theirs.data)
        assert close(mine.grad, theirs.grad), mine.label
    assert sum(view.node(i).grad != 0.0 for i in range(view.num_params)) > view.num_params // 2
    assert len(view) > 5 * len(tape_view)  # one node per + and *, not per dot product


def test_nodes_are_numbered_parameters_first_then_in_backwards_topological_order(both):
    _, view, _, _, _ = both
    assert view.loss_id == len(view) - 1
    for i in range(view.num_params, len(view)):
        assert all(child < i for child, _ in view.edges(i))
    order = view._nodes[view.num_params :]
    assert order == [v for v in view._nodes[view.loss_id].topological_order() if v.op != "param"]
    # Positions follow one another; the loss's own sums come after them, with no position.
    positions = [view.position_of(i) for i in range(view.num_params, len(view))]
    assert [p for p in positions if p is not None] == sorted(p for p in positions if p is not None)
    sums = [e.node for e in view.children(view.loss_id)]
    assert sums[0].label == f"Σ cross_entropy@pos0..{view.num_positions - 1}" and sums[0].pos is None


def test_plain_node_kinds_are_the_scalar_ops_and_each_is_explained_in_one_line(both):
    _, view, _, _, _ = both
    ops = {view.op(i) for i in range(len(view))}
    assert {"+", "*", "**-1", "**-0.5", "exp", "log", "relu", "param", "const"} <= ops
    assert ops.isdisjoint({"dot", "softmax", "rms_scale", "cross_entropy", "mean"})
    for op in ops:
        line = node_kind(op, op)
        assert line in NODE_KINDS.values() and "\n" not in line, op
    assert node_kind("**-0.5", "**-0.5@pos0") == NODE_KINDS["**"]
    weight_times_x = view.parents(view.param_id("lm_head", 2, 4))[0].node
    assert (weight_times_x.op, weight_times_x.label) == ("*", "lm_head[2,4]×x@pos0")


def test_path_to_loss_climbs_real_edges_and_the_view_keeps_its_step(both):
    plain, view, _, _, record = both
    start = view.param_id("layer0.attn_wq", 1, 2)
    path = view.path_to_loss(start)
    assert path[0] == start and path[-1] == view.loss_id
    for child, parent in zip(path, path[1:]):
        assert child in [e.node.id for e in view.children(parent)]
    plain.step()
    assert view.step == 1 and view.node(view.loss_id).data == record.loss
    assert ValueGraph(plain).step == 2


def test_the_trainer_keeps_only_the_last_steps_graph(small_docs, monkeypatch):
    """The previous step's graph is let go before the next one is built: one graph alive at a time."""
    trainer = Trainer(small_docs, CONFIG, engine="plain")
    trainer.step()
    seen = []
    real = train_module.run_document

    def watching(*args, **kwargs):
        seen.append((trainer.last_ops, trainer.last_graph_ids))
        return real(*args, **kwargs)

    monkeypatch.setattr(train_module, "run_document", watching)
    trainer.step()
    assert seen == [(None, None)]
    assert trainer.last_graph_ids is not None and trainer.last_graph_ids["loss"].data == trainer.last_ops.data(
        trainer.last_graph_ids["loss"]
    )


def test_no_value_graph_before_a_step_or_on_the_fused_engine(small_docs):
    with pytest.raises(ValueError, match="no graph"):
        ValueGraph(Trainer(small_docs, CONFIG, engine="plain"))
    fused = Trainer(small_docs, CONFIG)
    fused.step()
    with pytest.raises(ValueError, match="no graph"):
        ValueGraph(fused)
