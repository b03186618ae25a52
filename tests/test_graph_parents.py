"""The graph's parent index (every edge inverted): the same edges as inverting them one by one, kept in flat
arrays the cyclic collector never walks (counts objects, not time)."""

import gc

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.graph import GraphView
from microgpt_engine.insight.value_graph import ValueGraph

CONFIG = Config(n_embd=8, n_head=2, steps=50, seed=5)


@pytest.fixture(params=["fused", "plain"])
def graph(request, small_docs):
    trainer = Trainer(small_docs, CONFIG, engine=request.param)
    trainer.step()
    return GraphView(trainer) if request.param == "fused" else ValueGraph(trainer)


def test_every_nodes_parents_are_its_users_in_node_order_with_their_own_local_grads(graph):
    inverted: list[list[tuple[int, float]]] = [[] for _ in range(len(graph))]
    for i in range(len(graph)):
        for child, d in graph.edges(i):
            inverted[child].append((i, d))
    for i in range(len(graph)):
        assert [(e.node.id, e.local_grad) for e in graph.parents(i)] == inverted[i]
    assert sum(map(len, inverted)) > len(graph)  # (a real graph: more edges than nodes)


def test_the_parent_index_adds_a_handful_of_objects_for_the_collector_not_one_per_node(graph):
    """A list per node and a pair per edge were ~180,000 objects on a plain step's graph: built on the
    worker, each was walked by the next collection on the UI thread once the view landed."""
    graph.edges(graph.loss_id)  # (the fused tape indexes its own edges on first use: not what is counted)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        graph.index_parents()
        added = len(gc.get_objects()) - before
    finally:
        gc.enable()
    assert added < 20, f"the parent index of {len(graph):,} nodes added {added:,} tracked objects"
