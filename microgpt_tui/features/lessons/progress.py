"""Provides `Progress`: which chapters are complete, where each was left and which questions were answered.

Kept between sessions in the user's state file (`user_state.py`, under "lessons") when the app is a real
launch; in tests and for a one-off app it lives only as long as the session. A malformed entry reads as
no progress: it is a convenience, never a reason to fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microgpt_tui import user_state


def _ints(value: Any) -> set[int]:
    return {i for i in value if isinstance(i, int)} if isinstance(value, list) else set()


class Progress:
    def __init__(self, path: Path | None, saved: Any = None) -> None:
        """`path`: the state file (None: remember nothing between sessions); `saved`: the progress to begin
        from instead of the file's (a replay begins from the recorded session's)."""
        self.path = path
        if saved is None and path is not None:
            saved = user_state.load(path).get("lessons")
        saved = saved if isinstance(saved, dict) else {}
        at, answered = saved.get("at"), saved.get("answered")
        self.at: dict[str, int] = (
            {k: v for k, v in at.items() if isinstance(k, str) and isinstance(v, int) and v >= 0}
            if isinstance(at, dict)
            else {}
        )
        self.answered: dict[str, set[int]] = (
            {k: _ints(v) for k, v in answered.items() if isinstance(k, str)} if isinstance(answered, dict) else {}
        )
        done = saved.get("done")
        self.done: set[str] = {k for k in done if isinstance(k, str)} if isinstance(done, list) else set()

    def as_dict(self) -> dict[str, Any]:
        """The progress as the state file keeps it ({} for none)."""
        if not (self.done or self.at or any(self.answered.values())):
            return {}
        return {
            "done": sorted(self.done),
            "at": dict(self.at),
            "answered": {k: sorted(v) for k, v in self.answered.items()},
        }

    def save(self) -> None:
        if self.path is None:
            return
        user_state.save(self.path, lessons=self.as_dict())
