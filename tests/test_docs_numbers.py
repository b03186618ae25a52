"""What README and --help promise a user running the defaults is what the bundled data gives."""

from pathlib import Path

from cli_helpers import in_process

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer

README = Path(__file__).resolve().parents[1] / "README.md"


def first_loss() -> str:
    trainer = Trainer(load_documents(bundled_names_path()), Config(seed=42))
    return f"{trainer.step().loss:.4f}"


def test_readme_and_train_help_quote_the_first_loss_of_the_defaults_and_keep_the_reference_apart():
    loss = first_loss()
    readme = README.read_text()
    assert f'"step    1 / 1000 | loss {loss}"' in readme
    assert f"the first line reads `loss {loss}`" in readme
    assert "32,033 names with seed 42 the numbers are microgpt's, exactly: loss 3.3660" in readme
    shown = " ".join(in_process("train", "--help").stdout.split())
    assert f"loss {loss}' lines (the defaults on the bundled names" in shown
    assert "3.3660" in shown and "32,033" in shown
