"""Provides `HistoryViews`: the loss plot's and the parameter table's views of the run's history.

It only reads the session. What it keeps is memos: the last loss and parameter
views, and each earlier run's curve, reused until what they were made from
changes (the session's `version` counts changes to the history), so a repaint
that changes nothing costs nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine.insight.history import total_grad_norm
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import LossView, ParamRow, ParamView, RunCurve, healthy, log_reference
from microgpt_tui.features.runs.views import curve
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.runs import KeptRun
    from microgpt_tui.core.session import Session

TREND_LENGTH = 40  # gradient norms in each parameter row's sparkline (as wide as it grows at 200 columns)


class HistoryViews:
    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._memo: dict[str, tuple] = {}  # view name -> (key, view)
        self._curves: dict[int, tuple] = {}  # run number -> (key, RunCurve)

    def loss_view(self, points: int) -> LossView:
        """The loss plot's data, downsampled to `points` per curve."""
        session = self.session
        earlier = session.book.earlier()
        key = (session.version, points, session.bigram, tuple((r.number, r.name) for r in earlier))
        memo = self._memo.get("loss")
        if memo is None or memo[0] != key:  # (time travel moves only the viewed step's line: the curves stay)
            xs, losses, xm, means = session.history.series(points)
            others = tuple(self._curve(run, points // 2) for run in earlier)  # (a mean curve needs fewer points)
            view = LossView(
                tuple(xs),
                tuple(losses),
                tuple(xm),
                tuple(means),
                session.trainer.config.steps,
                session.history.window,
                session.uniform,
                session.bigram,
                None,
                others,
                session.current_run.name,
            )
            memo = self._memo["loss"] = (key, view)
        view = memo[1]
        if view.viewed_step != session.viewed_step:
            view = replace(view, viewed_step=session.viewed_step)
            self._memo["loss"] = (key, view)
        return view

    def _curve(self, run: KeptRun, points: int) -> RunCurve:
        """An earlier run's curve; it no longer changes, so it is made once per width (and name)."""
        key = (run.number, run.name, points, len(run.history))
        memo = self._curves.get(run.number)
        if memo is None or memo[0] != key:
            memo = self._curves[run.number] = (key, curve(run, points))
        return memo[1]

    def param_view(self) -> ParamView:
        """The parameter table: the last step's, or the viewed step's."""
        session, rules = self.session, self.rules
        mode = "update" if session.selection.before_update else "weights"
        key = (session.version, session.viewed_step, mode, rules.matrix_name)
        memo = self._memo.get("params")
        if memo is not None and memo[0] == key:
            return memo[1]
        history, model = session.history, session.trainer.model
        if session.viewed_step is not None:
            step = session.viewed_step
            params = history.params(step) if step > history.start else None
            title: str = Said(N_("parameters · step {step}"), step=f"{step:,}")
        else:
            step, title = history.now, _("parameters")  # (a translation: said again after a switch)
            if rules.latest is not None:
                params = rules.latest.params
            else:  # a loaded run's last kept step (its full record is not kept)
                params = history.params(step) if step > history.start else None
        if mode == "update":
            did = Said(N_("what step {step} did"), step=f"{step:,}") if params is not None else _("what a step does")
            title = Said("{title} · {did}", title=title, did=did)
        if params is None:
            rows = tuple(ParamRow(name, f"{r}×{c}") for name, (r, c) in model.shapes.items())
            view = ParamView(rows, model.num_params, None, title, mode, rules.matrix_name)
        else:
            kept = step > history.start  # (a first step that diverged left nothing to trend)
            table = []
            lr = history.lr(step) if kept else None
            for p in params:
                ratio = history.log_ratio(p.name, step) if kept else None
                ref = log_reference(lr, p.std)
                trend = tuple(history.grad_norms(p.name, step, TREND_LENGTH)) if kept else ()
                table.append(
                    ParamRow(
                        p.name,
                        f"{p.rows}×{p.cols}",
                        p.mean,
                        p.std,
                        p.grad_norm,
                        ratio,
                        ref,
                        healthy(ratio, ref),
                        trend,
                        p.update_norm,
                        p.update_max,
                        p.m_mean_abs,
                        p.v_mean_sqrt,
                    )
                )
            view = ParamView(tuple(table), model.num_params, total_grad_norm(params), title, mode, rules.matrix_name)
        self._memo["params"] = (key, view)
        return view
