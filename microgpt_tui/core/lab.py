"""Provides `Lab`: a session's features built once, and the one door the app goes through.

The lab builds the narrow shared `Session` (session.py), the `Rules` between
features (rules.py) and one object per feature, each given the session and
the rules and nothing else: `stepping` (training.py), `drawing`
(sample_drawing.py), `travel` (time_travel.py), `experiments`
(experimenting.py), `interventions`, `quizzing`, `saving`, `probing`, `forward`,
`matrices`, `selecting`, `touring`, `graph`, `embeddings`, `exporting`,
`reference` (the texts with live figures); plus the views the panels draw
(`viewer`, `history_views`, status_line.py). No feature holds the lab or a
sibling.

Every key the app binds calls one intent, on a feature (`lab.drawing.sample()`)
or here, and gets a `Change` back: the note it said, and the question or view
the app should open. The app then draws the views (`status`, `shown`,
`loss_view`, …), which are immutable. The session's fields read through the
lab (`lab.trainer`, `lab.selection`, …) are the session's own.
"""

from __future__ import annotations

from pathlib import Path

from microgpt_engine import Trainer
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import TimeMachine
from microgpt_tui.core.reasons import complete
from microgpt_tui.core.rules import Features, Rules
from microgpt_tui.core.runs import KeptRun, RunBook
from microgpt_tui.core.said import Said
from microgpt_tui.core.selecting import Selecting
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.session import Session
from microgpt_tui.core.views import Change, LossView, Notice, ParamView, QuizCard, SamplesView, Selection, Status
from microgpt_tui.features.embeddings.state import EmbeddingRows
from microgpt_tui.features.forward.state import ForwardLens
from microgpt_tui.features.graph.state import Graphing
from microgpt_tui.features.interventions.state import Interventions
from microgpt_tui.features.ladder.state import Ladder
from microgpt_tui.features.lessons.state import Lessons
from microgpt_tui.features.matrix.state import MatrixLens
from microgpt_tui.features.motion.state import Motion
from microgpt_tui.features.panels import status_line
from microgpt_tui.features.panels.history_views import HistoryViews
from microgpt_tui.features.panels.viewer import Viewer
from microgpt_tui.features.probe.state import Probing
from microgpt_tui.features.quiz.state import Quizzing
from microgpt_tui.features.recording.state import Recorder
from microgpt_tui.features.reference.state import Reference
from microgpt_tui.features.runs.saved_runs import SavedRun
from microgpt_tui.features.runs.state import Experiments
from microgpt_tui.features.sampling.state import SampleDrawing
from microgpt_tui.features.saving.export import Exporting
from microgpt_tui.features.saving.state import Saving
from microgpt_tui.features.time_travel.state import TimeTravel
from microgpt_tui.features.tour.state import Touring
from microgpt_tui.features.training.state import Stepping
from microgpt_tui.language import N_


class Lab:
    """A training session: one trainer, its history, what is selected and how it is seen."""

    def __init__(
        self,
        trainer: Trainer,
        docs: list[str] | None = None,
        dataset_name: str = "",
        save_path: Path | str = "microgpt-checkpoint.json",
        offer_tour: bool = False,
        state_path: Path | None = None,
        loaded_from: Path | None = None,
        saved: SavedRun | None = None,
    ):
        """`saved`: the curve, name and samples the checkpoint `trainer` was restored from carries (--load)."""
        session = self.session = Session(save_path, loaded_from)
        rules = self.rules = Rules(session)
        self.stepping = Stepping(session, rules)  # training: the run, the last step, the speed
        self.drawing = SampleDrawing(session, rules)  # sampling
        self.travel = TimeTravel(session, rules)  # looking back, comparing, forking
        self.experiments = Experiments(session, rules)  # settings and the runs side by side
        self.ladder = Ladder(session, rules)  # microgpt built up, rung by rung, trained apart
        self.interventions = Interventions(session, rules)  # ablations
        self.quizzing = Quizzing(session, rules)  # predict, then reveal
        self.saving = Saving(session, rules)  # checkpoints and quitting
        self.graph = Graphing(session, rules)  # the autograd graph view
        self.embeddings = EmbeddingRows(session, rules)  # the embedding map's rows
        self.exporting = Exporting(session, rules)  # ctrl+x: the screen and the steps, to files
        self.reference = Reference(session, rules)  # explanations, glossary, code, about: with live figures
        self.probing = Probing(session, rules)  # any text, read as a document
        self.forward = ForwardLens(session, rules)  # the forward-pass view
        self.matrices = MatrixLens(session, rules)  # the matrix heatmap view
        self.selecting = Selecting(session, rules)  # position, head, layer, temperature, before/after
        self.viewer = Viewer(session, rules)  # what the attention and token panels show
        rules.attach(
            Features(
                stepping=self.stepping,
                drawing=self.drawing,
                travel=self.travel,
                experiments=self.experiments,
                interventions=self.interventions,
                quizzing=self.quizzing,
                saving=self.saving,
                graph=self.graph,
                embeddings=self.embeddings,
                exporting=self.exporting,
                reference=self.reference,
                probing=self.probing,
                forward=self.forward,
                matrices=self.matrices,
                selecting=self.selecting,
                viewer=self.viewer,
                ladder=self.ladder,
            )
        )
        rules.install(trainer, list(docs) if docs is not None else list(trainer.docs), dataset_name, saved=saved)
        self.touring = Touring(session, rules, offer_tour, state_path)  # the guided tour
        self.lessons = Lessons(session, rules, offer_tour, state_path)  # the chapters
        self.history_views = HistoryViews(session, rules)  # the loss plot and the parameter table
        self.motion = Motion(session, rules)  # the last minute of screens, and the exports that move
        self.recording = Recorder(session, rules)  # every input since the session began; recording, share codes
        self.recording.lesson, self.recording.open_lesson = self.lessons.chapter_key, self.lessons.open_key
        self.recording.lessons = self.lessons.progress.as_dict()  # (as the session began: a replay starts there)

    # -- the session's shared state, read (and in tests set) through the lab -----------------------

    @property
    def trainer(self) -> Trainer:
        return self.session.trainer

    @property
    def docs(self) -> list[str]:
        return self.session.docs

    @property
    def dataset_name(self) -> str:
        return self.session.dataset_name

    @property
    def vocab_labels(self) -> tuple[str, ...]:
        return self.session.vocab_labels

    @property
    def history(self) -> RunHistory:
        return self.session.history

    @property
    def time(self) -> TimeMachine:
        return self.session.time

    @property
    def book(self) -> RunBook:
        return self.session.book

    @property
    def version(self) -> int:
        return self.session.version

    @property
    def sequence(self) -> SequenceView | None:
        return self.session.sequence

    @property
    def selection(self) -> Selection:
        return self.session.selection

    @property
    def viewed_step(self) -> int | None:
        return self.session.viewed_step

    @property
    def saved_step(self) -> int:
        return self.session.saved_step

    @property
    def save_path(self) -> Path:
        return self.session.save_path

    @property
    def event(self) -> str:
        return self.session.event

    @property
    def current_run(self) -> KeptRun:
        return self.session.current_run

    @property
    def uniform(self) -> float:
        return self.session.uniform

    @property
    def bigram(self) -> float | None:
        return self.session.bigram

    @property
    def attends(self) -> bool:
        return self.session.attends

    @property
    def viewing_past(self) -> bool:
        return self.session.viewing_past

    # -- what the features say of themselves ------------------------------------------------

    @property
    def training(self) -> bool:
        return self.rules.training

    @property
    def mode(self) -> str:
        """paused, training or sampling."""
        return self.rules.mode

    @property
    def steps_done(self) -> int:
        return self.rules.steps_done

    @property
    def done(self) -> bool:
        """Every configured step is taken (from an earlier step, training forks instead)."""
        return self.rules.done

    def applies(self, action: str) -> bool | None:
        """True if `action` makes sense now, None if not (shown greyed out)."""
        return self.rules.applies(action)

    def why_not(self, action: str) -> Change:
        """A key that does not apply now was pressed: say why, and what to do instead."""
        reason = self.rules.why_not_reason(action)
        if reason is None:
            return Change()
        self.session.notify(reason, timeout=6)
        return self.session.say(reason)

    def take_notices(self) -> list[Notice]:
        return self.session.take_notices()

    def after_intent(self) -> Change:
        """Bookkeeping the app runs after every intent: training or sampling stopping moves the tour on."""
        return self.touring.after_intent()

    # -- the intents that are the lab's own -------------------------------------------------------

    def begin(self) -> Change:
        """The session starts: the next document on show, and (on a first launch) the tour offered."""
        session = self.session
        session.sequence = session.next_document_view()
        if self.trainer.done:  # a finished checkpoint: space and r have nothing left to do
            note = Said(N_("{complete} · ? lists every key"), complete=complete(self.trainer.config))
        else:
            note = Said(
                N_(
                    "next document: “{document}”. space trains one step on it, r runs, s samples, "
                    "L opens the lessons, ? lists every key"
                ),
                document=session.sequence.text,
            )
        offer = self.touring.offer()
        self.recording.offered = offer is not None  # (a replay offers it too, remembering nothing)
        return session.say(offer or note)

    def step(self) -> Change:
        return self.stepping.step()

    def run_or_pause(self) -> Change:
        return self.stepping.run_or_pause()

    def take_steps(self, run_id: int | None = None) -> Change:
        return self.stepping.take_steps(run_id)

    async def halt(self) -> str | None:
        return await self.stepping.halt()

    def temperature(self, delta: float) -> Change:
        return self.rules.temperature(delta)

    def move(self, delta: int) -> Change:
        return self.selecting.move(delta)

    def set_position(self, position: int) -> None:
        self.session.set_position(position)

    def head(self, delta: int) -> Change:
        return self.selecting.head(delta)

    def layer(self, delta: int) -> Change:
        return self.selecting.layer(delta)

    def toggle_before_after(self) -> Change:
        return self.selecting.toggle_before_after()

    def toggle_heads(self) -> Change:
        return self.selecting.toggle_heads()

    # -- views: what the panels draw ---------------------------------------------------------------

    def shown(self) -> SequenceView | None:
        return self.viewer.shown()

    def attention_shown(self) -> SequenceView | None:
        return self.viewer.attention_shown()

    def status(self, show_rate: bool = True) -> Status:
        return status_line.status(self.session, self.rules, show_rate)

    def status_note(self) -> str:
        return self.rules.status_note()  # (the forward view's note line)

    def loss_view(self, points: int) -> LossView:
        return self.history_views.loss_view(points)

    def param_view(self) -> ParamView:
        return self.history_views.param_view()

    def samples_view(self) -> SamplesView:
        return self.drawing.view()

    def quiz_card(self) -> QuizCard | None:
        return self.quizzing.card()
