"""Provides `settle` and `unsettle`: what the app holds for its whole life is left out of the cyclic collector's walks.

Python's full collection walks every tracked object; started from whichever
line of code happens to allocate, it runs on the UI thread as often as not. At
the first frame the app already holds ~80,000 objects (modules, classes, the
main screen's widgets) that live as long as it does: walking them cost 20–50 ms
per full collection, a stall on its own. `settle` collects once and freezes
what is alive (`gc.freeze`: later collections skip it; reference counting still
frees it); `unsettle` hands it back when the app ends, so that a process that
runs several apps (the tests) collects what each left behind.
"""

import gc


def settle() -> None:
    """Collect once, then leave everything alive now out of later collections."""
    gc.collect()
    gc.freeze()


def unsettle() -> None:
    """Give the frozen objects back to the collector."""
    gc.unfreeze()
