"""Provides `Tokenizer`: characters to token ids and back.

The vocabulary is every distinct character in the data, sorted, plus one
special token, BOS ("beginning of sequence"), whose id is len(chars). A
document is trained on as [BOS] + its characters + [BOS]: the first BOS says
"a name starts here", the last one says "the name is over".
"""

from __future__ import annotations

from collections.abc import Iterable


class TokenizerError(ValueError):
    """A character the vocabulary does not contain."""


class Tokenizer:
    def __init__(self, chars: Iterable[str]) -> None:
        self.chars = list(chars)
        self.bos = len(self.chars)
        self.vocab_size = len(self.chars) + 1
        self._index = {ch: i for i, ch in enumerate(self.chars)}

    @classmethod
    def from_documents(cls, docs: Iterable[str]) -> Tokenizer:
        return cls(sorted(set("".join(docs))))

    def encode(self, text: str) -> list[int]:
        try:
            return [self._index[ch] for ch in text]
        except KeyError as e:
            raise TokenizerError(f"character {e.args[0]!r} is not in the vocabulary") from None

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.chars[i] for i in ids if i != self.bos)

    def document(self, text: str) -> list[int]:
        """The token ids one document is trained on: [BOS] + text + [BOS]."""
        return [self.bos, *self.encode(text), self.bos]

    def label(self, token_id: int, bos: str = "◆") -> str:
        """A printable label for one token (BOS as a visible symbol)."""
        return bos if token_id == self.bos else self.chars[token_id]
