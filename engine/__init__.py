"""Provides microgpt's whole algorithm in pure Python: autograd, tokenizer, GPT, Adam, sampling.

No third-party imports and no UI: the app and the CLI only read the plain
records (records.py) that `Trainer` and `Sampler` hand out.
"""

from .checkpoint import Checkpoint, CheckpointError, load_checkpoint, save_checkpoint
from .config import Config, ConfigError
from .model import GPT
from .records import EvalRecord, ParamStats, PositionRecord, SampleRecord, StepRecord
from .sample import Sampler
from .tokenizer import Tokenizer, TokenizerError
from .train import Trainer

__all__ = [
    "GPT",
    "Checkpoint",
    "CheckpointError",
    "Config",
    "ConfigError",
    "EvalRecord",
    "ParamStats",
    "PositionRecord",
    "SampleRecord",
    "Sampler",
    "StepRecord",
    "Tokenizer",
    "TokenizerError",
    "Trainer",
    "load_checkpoint",
    "save_checkpoint",
]
