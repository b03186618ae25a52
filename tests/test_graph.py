"""The real autograd graph of a step: node values, edges in forward order, gradients as sums."""

import math

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.graph import GraphView
from microgpt_engine.ops import softmax_floats

CONFIG = Config(n_embd=8, n_head=2, steps=50, seed=5)


@pytest.fixture
def stepped(small_docs):
    """(trainer, view, record, weights the last step started from), after two steps."""
    trainer = Trainer(small_docs, CONFIG)
    trainer.step()
    weights_before = {name: [list(row) for row in rows] for name, rows in trainer.model.weights.items()}
    record = trainer.step()
    return trainer, GraphView(trainer), record, weights_before


def test_loss_node_holds_the_records_loss_and_the_seed_gradient(stepped):
    _, view, record, _ = stepped
    loss = view.node(view.loss_id)
    assert loss.data == record.loss
    assert loss.grad == 1.0
    assert loss.label == "loss" and loss.op == "mean"
    assert view.gradient_breakdown(view.loss_id) == []
    assert len(view) == record.graph_nodes


def test_parameters_are_the_first_leaves_in_shapes_order_row_major(stepped):
    trainer, view, _, weights_before = stepped
    i = 0
    for name, (rows, cols) in trainer.model.shapes.items():
        for r in range(rows):
            for c in range(cols):
                assert view.param_id(name, r, c) == i
                assert view.param_location(i) == (name, r, c)
                assert view.tape.data[i] == weights_before[name][r][c]
                i += 1
    assert i == view.num_params == trainer.model.num_params
    node = view.node(view.param_id("wte", 5, 3))
    assert (node.op, node.label, node.n_children, node.pos) == ("param", "wte[5,3]", 0, None)
    assert view.param_name(view.param_id("layer0.mlp_fc1", 31, 7)) == "layer0.mlp_fc1[31,7]"
    with pytest.raises(IndexError):
        view.param_id("wte", trainer.model.vocab_size, 0)
    with pytest.raises(KeyError):
        view.param_id("nope", 0, 0)


def test_children_follow_the_forward_passes_order(stepped):
    trainer, view, record, _ = stepped
    n_embd = CONFIG.n_embd
    ce_ids = [view.cross_entropy_id(p) for p in range(view.num_positions)]
    assert view.num_positions == len(record.positions)
    assert [e.node.id for e in view.children(view.loss_id)] == ce_ids
    for p in range(view.num_positions):
        assert [e.node.id for e in view.children(ce_ids[p])] == view.logit_ids(p)
        assert view.node(ce_ids[p]).label == f"cross_entropy@pos{p}"
        # The logit of token j is lm_head row j (its weights, in column order) times x.
        for j, logit in enumerate(view.logit_ids(p)):
            kids = view.children(logit)
            assert [e.node.id for e in kids[:n_embd]] == [view.param_id("lm_head", j, c) for c in range(n_embd)]
            assert len(kids) == 2 * n_embd
    first = view.node(view.logit_ids(0)[0])
    assert first.label == f"logit[{trainer.tokenizer.label(0)}]@pos0" and first.pos == 0


def test_logit_nodes_hold_the_logits_behind_each_recorded_distribution(stepped):
    _, view, record, _ = stepped
    for p, position in enumerate(record.positions):
        logits = [view.node(i).data for i in view.logit_ids(p)]
        assert softmax_floats(logits) == position.probs
        assert view.node(view.cross_entropy_id(p)).data == pytest.approx(-math.log(position.p_target), abs=1e-12)


def test_every_nodes_gradient_is_the_sum_of_its_parents_contributions(stepped):
    _, view, _, _ = stepped
    checked = 0
    for i in range(len(view)):
        if i == view.loss_id:
            continue
        edges = view.gradient_breakdown(i)
        total = sum(e.contribution for e in edges)
        assert abs(total - view.tape.grad[i]) <= 1e-12, (i, view.label(i))
        for e in edges:
            assert e.contribution == e.local_grad * e.parent_grad
            assert e.parent_grad == view.node(e.node.id).grad
        checked += bool(edges)
    assert checked > len(view) // 2


def test_a_parameters_breakdown_lists_every_use_and_sums_to_its_gradient(stepped):
    trainer, view, record, _ = stepped
    # lm_head row j is read once per position, by that position's logit of token j.
    j = 2
    i = view.param_id("lm_head", j, 4)
    edges = view.gradient_breakdown(i)
    assert [e.node.id for e in edges] == [view.logit_ids(p)[j] for p in range(view.num_positions)]
    assert abs(sum(e.contribution for e in edges) - view.node(i).grad) <= 1e-12
    # The first token's embedding row: used at position 0 by the embedding sum.
    token = record.tokens[0]
    w = view.param_id("wte", token, 0)
    assert view.gradient_breakdown(w)
    assert abs(sum(e.contribution for e in view.gradient_breakdown(w)) - view.node(w).grad) <= 1e-12
    assert view.node(w).grad != 0.0


def test_children_contributions_are_local_derivative_times_the_nodes_gradient(stepped):
    _, view, _, _ = stepped
    logit = view.logit_ids(1)[3]
    g = view.node(logit).grad
    for e in view.children(logit):
        assert e.parent_grad == g and e.contribution == e.local_grad * g
    # d(w . x)/dw_k = x_k: the local gradients of the weights are the input's values.
    kids = view.children(logit)
    n = CONFIG.n_embd
    assert [e.local_grad for e in kids[:n]] == [e.node.data for e in kids[n:]]


def test_path_to_loss_climbs_from_a_weight_to_the_loss_along_real_edges(stepped):
    _, view, _, _ = stepped
    start = view.param_id("layer0.attn_wq", 1, 2)
    path = view.path_to_loss(start)
    assert path[0] == start and path[-1] == view.loss_id
    for child, parent in zip(path, path[1:]):
        assert parent > child
        assert child in [e.node.id for e in view.children(parent)]
    assert view.path_to_loss(view.loss_id) == [view.loss_id]


def test_labels_name_matrix_rows_and_positions(stepped):
    _, view, _, _ = stepped
    wq_row = [e.node.id for e in view.parents(view.param_id("layer0.attn_wq", 1, 0))]
    assert view.node(wq_row[0]).label == "layer0.attn_wq[1]·x@pos0"
    assert view.node(wq_row[-1]).pos == view.num_positions - 1


def test_a_view_stays_on_its_step_after_the_trainer_moves_on(stepped):
    trainer, view, record, _ = stepped
    trainer.step()
    assert view.step == 2
    assert view.node(view.loss_id).data == record.loss
    assert GraphView(trainer).step == 3


def test_no_tape_view_before_a_step_or_on_the_plain_engine(small_docs):
    """GraphView reads the fused tape; the plain engine's graph is value_graph.py's (test_value_graph.py)."""
    with pytest.raises(ValueError, match="no graph"):
        GraphView(Trainer(small_docs, CONFIG))
    plain = Trainer(small_docs, Config(n_embd=4, n_head=1, steps=5), engine="plain")
    plain.step()
    with pytest.raises(ValueError, match="with the fused engine"):
        GraphView(plain)
