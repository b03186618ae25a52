"""Provides `Going`: the step time travel heads for while a replay off the UI thread brings it within reach.

Looking at a step whose state is not kept costs a replay: up to seconds on a
long run, whose snapshots lie far apart. The lab plans it
(`TimeMachine.plan`: the replay gets its own copy of everything it reads), the
app runs it on a worker thread and hands what it returned back to the lab,
which keeps the states on its own thread. One replay runs at a time and the
latest step asked wins: pressing , ten times while one runs only moves
`target`, and when the replay lands the lab goes on to that target (most
often already among the states the replay passed through).
"""

from __future__ import annotations

from microgpt_engine.insight.timetravel import Replay
from microgpt_tui.core.said import Said
from microgpt_tui.language import N_


class Going:
    """The replay the app runs now and the step the learner asked for last."""

    def __init__(self) -> None:
        self.running: Replay | None = None  # planned by the lab, run by the app's worker
        self.target: int | None = None  # the step asked for last and not shown yet (None: none)
        self.towards = "back"  # "back" or "forward": which way the target lies from what was shown
        self.comparing = False  # the target is for c (compare opens on landing), not for the panels
        # A fork's answer waiting for `target`, the step before the fork point (fork, choice, then): the fork's
        # last step's document is seen with the weights it started from, so they must be at hand first.
        self.forking: tuple[int, object, str] | None = None

    @property
    def note(self) -> str:
        """What the status line says meanwhile."""
        if self.comparing:
            return Said(N_("waiting to compare step {step} with the start and now…"), step=f"{self.target:,}")
        if self.forking is not None:
            return Said(
                N_("forking at step {step} once step {target} is replayed…"),
                step=f"{self.forking[0]:,}",
                target=f"{self.target:,}",
            )
        if self.towards == "back":
            return Said(N_("going back to step {step}…"), step=f"{self.target:,}")
        return Said(N_("going forward to step {step}…"), step=f"{self.target:,}")

    def head_for(self, step: int, shown: int) -> None:
        self.target = step
        self.towards = "back" if step < shown else "forward"
        self.comparing = False  # (the step asked for last wins: , during a compare's replay moves the view)
        self.forking = None

    def arrived(self) -> None:
        """The step asked for is shown (or nothing is awaited any more)."""
        self.target, self.comparing, self.forking = None, False, None

    def compare_at(self, step: int) -> None:
        """c needs `step` (the middle one): compare opens once a replay brings it."""
        self.target = step
        self.comparing = True
        self.forking = None

    def fork_at(self, step: int, before: int, choice: object, then: str) -> None:
        """The fork at `step` the learner chose waits for `before`'s state (a replay brings it)."""
        self.target = before
        self.comparing = False
        self.forking = (step, choice, then)

    def reset(self) -> None:
        """Another run is live (or the run forked): the replay of the old one stops, nothing is awaited."""
        if self.running is not None:
            self.running.cancel()
        self.running = None
        self.arrived()
