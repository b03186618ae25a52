"""Provides `Tour`: which step of the guided tour is showing, and what moves it on.

Plain state, no widgets: the steps are `texts.TOUR`. The app tells the tour
what happened (an action it performed, or "paused" when training stopped)
and the tour moves on if that is what its step was waiting for.
"""


class Tour:
    def __init__(self, steps):
        self.steps = list(steps)
        self.index = 0  # the step showing; len(steps) once finished

    @property
    def finished(self):
        return self.index >= len(self.steps)

    @property
    def step(self):
        """The step showing (None once finished)."""
        return None if self.finished else self.steps[self.index]

    def happened(self, event):
        """`event` (an action's name, or "paused") took place: True if it moved the tour on."""
        if self.finished or event not in self.step.on:
            return False
        self.index += 1
        return True

    def next(self):
        if not self.finished:
            self.index += 1

    def back(self):
        """One step back; False at the first step."""
        if self.index == 0:
            return False
        self.index -= 1
        return True
