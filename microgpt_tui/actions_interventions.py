"""Provides `InterventionActions`: switch attention heads off, choose a sample's next character.

Ablations are for looking: they change what the panels show (the shown model
with some heads' outputs zeroed, via the engine's `ablate=`), never a weight.
Training always uses every head, so space and r switch an ablation off before
they train, and z and x are off while training runs. While sampling, the
sampler draws with the ablation too (what would the model write without that
head?). `u` undoes every intervention: ablations off and back to now.
"""

from microgpt_engine.insight.history import surprisal

from .lens import ablation_label
from .renderables.heatmap import visible
from .screens.force_char import ForceCharScreen


class InterventionActions:
    """`z` ablates the selected head (or the layer), `x` the layer, `u` undoes, `f` forces a character."""

    ablation = frozenset()
    """(layer, head) pairs switched off in the view; head None means the whole layer."""

    def set_ablation(self, pairs):
        self.ablation = frozenset(pairs)
        if self.sampler is not None:
            self.sampler.ablate = self.ablation  # the rest of a sample is drawn the same way
        self.main.set_class(bool(self.ablation), "-ablated")
        self._push_view()
        self._push_history_status()
        self.refresh_bindings()

    def _toggle_ablation(self, pair):
        self.set_ablation(set(self.ablation) ^ {pair})

    def action_ablate_head(self):
        """Switch the selected head off (or on again); with all heads shown, the whole layer."""
        if self.all_heads:
            self.action_ablate_layer()
        else:
            self._toggle_ablation((self.layer, self.head))

    def action_ablate_layer(self):
        """Switch the whole layer's attention off (or on again)."""
        self._toggle_ablation((self.layer, None))

    def action_undo_interventions(self):
        """Every head on again and back to now: the live model, exactly as trained."""
        had = self.ablation
        self.set_ablation(())
        self.back_to_now()
        self.note = "interventions undone: the live model with every head" + (
            f" (was ablated: {ablation_label(had)}; the weights never changed)" if had else ""
        )
        self._push_history_status()

    def ablation_note(self):
        """(what, keys) with an ablation on, else None; what says how p(actual next) moved."""
        if not self.ablation:
            return None
        what = f"ABLATED {ablation_label(self.ablation)}"
        seq = self.shown_sequence()
        if seq is not None and seq.probs_before and seq.probs:
            pos = min(self.position, len(seq.probs) - 1)
            target = seq.targets[pos]
            before, after = seq.probs_before[pos][target], seq.probs[pos][target]
            what += (
                f": p({visible(self.vocab_labels[target])}) {before * 100:.1f}% → {after * 100:.1f}%, "
                f"-log p {surprisal(before):.2f} → {surprisal(after):.2f}"
            )
        return what, "view only: the weights are unchanged and space/r train every head · u undoes"

    # -- the learner chooses the next character ---------------------------------------------

    def action_force_char(self):
        """Ask for the sample's next character and make the sampler take it."""
        if self._sample_timer is not None:  # the sample waits while you choose
            self._sample_timer.stop()
            self._sample_timer = None
        tokenizer = self.trainer.tokenizer

        def chosen(token):
            if token is not None and self.sampling:
                self._advance_sample(force=token)
                self.note = f"you chose “{visible(tokenizer.label(token))}”: the model continues from it (n for the next)"
                self._push_history_status()

        self.push_screen(ForceCharScreen(tokenizer.chars, tokenizer.label(tokenizer.bos), tokenizer.bos), chosen)

    # -- training always uses every head --------------------------------------------------------

    def _train_intact(self):
        if self.ablation:
            self.set_ablation(())
            self.notify("ablation off: training always uses every head (ablations only change the view)", timeout=5)

    def action_step(self):
        self._train_intact()
        super().action_step()

    def action_run(self):
        if self.mode != "training":
            self._train_intact()
        super().action_run()

    # -- what applies -----------------------------------------------------------------------------

    def applies_ablate_head(self):
        return None if self.mode == "training" or self.sequence is None else True

    applies_ablate_layer = applies_ablate_head

    def applies_undo_interventions(self):
        return True if self.ablation or self.viewing_past else None

    def applies_force_char(self):
        return True if self.sampling else None
