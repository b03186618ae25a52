"""The settings form is checked at every keystroke in any field: the data file it names was read again at
each one (a 60 MB file froze the UI 1.8-3.8 s a key, 1.46 GB peak). It is read once, again only when the
file changes, and its vocabulary is counted once."""

import os

from lab_helpers import begun_lab

import microgpt_data
from microgpt_tui.features.runs import settings_form as settings


def test_typing_in_the_settings_reads_the_data_file_once(tmp_path, small_docs, monkeypatch):
    data = tmp_path / "names.txt"
    data.write_text("\n".join(small_docs) + "\n")
    lab = begun_lab(small_docs, tmp_path)
    reads, counts = [], []
    real_load, real_from = microgpt_data.load_documents, settings.Tokenizer.from_documents
    monkeypatch.setattr(microgpt_data, "load_documents", lambda path: reads.append(path) or real_load(path))
    monkeypatch.setattr(settings.Tokenizer, "from_documents", lambda docs: counts.append(1) or real_from(docs))
    for typed in ("0", "0.", "0.0", "0.02", "0.025"):  # five keystrokes in the lr field
        choice, errors = lab.experiments.check_settings({"lr": typed}, "fused", "file", str(data))
        assert errors == {} or "lr" in errors
    assert len(reads) == 1 and len(counts) == 1
    data.write_text("\n".join(small_docs[:3]) + "\n")  # the file changed: read again
    os.utime(data, ns=(1, 1))
    choice, _ = lab.experiments.check_settings({"lr": "0.02"}, "fused", "file", str(data))
    assert len(reads) == 2 and choice is not None and len(choice.docs) == 3
