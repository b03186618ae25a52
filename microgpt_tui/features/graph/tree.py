"""Provides `GraphTree`: the autograd graph as a `Tree` that grows only where it is opened.

A step's graph has thousands of nodes; the tree adds a node's rows only when
the learner expands it, a chunk at a time: a very wide node (a dot product of
64 numbers) shows its first rows and a "… N more" row that expands into the
next chunk. The graph is a DAG, so a node used twice appears under both users.

Two directions: "inputs" lists what each node was computed from (from the
loss down to the weights); "uses" lists who used each node (from a weight up
to the loss), each with the share of the gradient it sent down.
"""

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from microgpt_engine.insight.graph import EdgeRecord, StepGraph
from microgpt_tui.features.graph.text import node_label
from microgpt_tui.language import _

CHUNK = 40


@dataclass
class Entry:
    """A tree row that stands for graph node `id`."""

    id: int
    loaded: bool = False


@dataclass
class More:
    """The "… N more" row: expanding it adds rows `start`.. of graph node `id`'s list."""

    id: int
    start: int


class GraphTree(Tree[Entry | More]):
    """One step's autograd graph, rooted at the loss, a logit or a weight."""

    def __init__(self, graph: StepGraph, **kwargs: Any) -> None:
        super().__init__("graph", **kwargs)
        self.graph: StepGraph | None = graph
        self.direction = "inputs"
        self.guide_depth = 3

    def on_unmount(self) -> None:
        self.graph = None  # (closed, it waits in a cycle for a full collection: without the graph; see GraphScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_expand_all":
            return False  # would try to open thousands of rows at once
        return True

    def show(self, node_id: int, direction: str = "inputs") -> None:
        """Start over with node `node_id` as the root, collapsed."""
        self.direction = direction
        self.clear()
        assert self.graph is not None  # (the tree only shows while it is mounted)
        self.root.set_label(node_label(self.graph.node(node_id)))
        self.root.data = Entry(node_id)
        self.root.allow_expand = bool(self._edges(node_id))
        self.move_cursor(self.root)

    def _edges(self, node_id: int) -> list[EdgeRecord]:
        graph = self.graph
        assert graph is not None
        return graph.children(node_id) if self.direction == "inputs" else graph.gradient_breakdown(node_id)

    def _add_rows(self, parent: TreeNode[Entry | More], node_id: int, start: int) -> None:
        """Rows start..start+CHUNK of node_id's edges under `parent`, then a "… more" row if any are left."""
        edges = self._edges(node_id)
        uses = self.direction == "uses"
        for edge in edges[start : start + CHUNK]:
            other = edge.node
            expandable = bool(self._edges(other.id)) if uses else other.n_children > 0
            label = node_label(other, share=edge.contribution if uses else None)
            parent.add(label, data=Entry(other.id), allow_expand=expandable)
        left = len(edges) - start - CHUNK
        if left > 0:
            parent.add(
                Text(_("… {left} more").format(left=left), style="italic grey62"),
                data=More(node_id, start + CHUNK),
                allow_expand=True,
            )

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        node, data = event.node, event.node.data
        if isinstance(data, Entry) and not data.loaded:
            data.loaded = True
            self._add_rows(node, data.id, 0)
        elif isinstance(data, More):
            parent = node.parent
            assert parent is not None  # (a "… more" row is never the root)
            node.remove()
            self._add_rows(parent, data.id, data.start)
