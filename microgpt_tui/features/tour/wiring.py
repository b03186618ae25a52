"""Provides the tour's wiring: what its panel's keys say (the app's t opens the panel: app.py)."""

from microgpt_tui.core.views import Change
from microgpt_tui.features.tour.panel import TourPanel
from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "touring",
    handlers={
        TourPanel.Next: lambda touring, message: touring.tour_next(),
        TourPanel.Back: lambda touring, message: touring.tour_back(),
        TourPanel.End: lambda touring, message: touring.end_tour() if touring.tour is not None else Change(),
        TourPanel.Redraw: lambda touring, message: touring.redraw(),
    },
)
