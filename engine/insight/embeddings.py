"""Provides `embedding_map`: the token embeddings flattened onto a 2-D map by PCA.

Each row of wte is one token's vector of n_embd numbers. Principal component
analysis finds the two directions in which those vectors differ the most;
projecting every vector onto them gives each token an (x, y) on a map, and
tokens the model treats alike land close together (after training, the vowels
tend to gather).

In pure Python, the textbook way:
1. centre the rows (subtract the mean vector);
2. their covariance matrix C (n_embd x n_embd) holds how every pair of
   dimensions varies together;
3. power iteration: multiplying any vector by C again and again turns it
   towards C's top eigenvector, the direction of largest variance;
4. deflation: subtract that direction's share (C - lambda u u^T) and iterate
   again for the second one, kept orthogonal to the first;
5. an eigenvector's sign is arbitrary, so fix it: the largest entry is positive.

The eigenvalue of each direction is the variance along it; divided by the
total variance (the trace of C) it is the share of the spread the map shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..tokenizer import Tokenizer

Vector = Sequence[float]


@dataclass
class EmbeddingPoint:
    """One token on the map."""

    token: int  # row index: the token id (or the position, for wpe)
    label: str
    x: float  # coordinate along the first principal component
    y: float  # along the second


@dataclass
class EmbeddingMap:
    matrix: str  # which weight matrix: "wte", "lm_head" or "wpe"
    points: list[EmbeddingPoint]
    explained: list[float]  # share of the total variance along x and along y


@dataclass
class PCA:
    mean: list[float]
    components: list[list[float]]  # unit vectors, orthogonal, by decreasing variance
    variances: list[float]  # the variance along each component (its eigenvalue)
    total_variance: float  # the trace of the covariance matrix

    @property
    def explained(self) -> list[float]:
        """Each component's share of the total variance."""
        t = self.total_variance
        return [v / t if t > 0 else 0.0 for v in self.variances]

    def project(self, row: Vector) -> list[float]:
        centred = [x - m for x, m in zip(row, self.mean)]
        return [dot(c, centred) for c in self.components]


def dot(a: Vector, b: Vector) -> float:
    return sum(x * y for x, y in zip(a, b))


def mat_vec(matrix: Sequence[Vector], v: Vector) -> list[float]:
    return [dot(row, v) for row in matrix]


def normalise(v: Vector) -> list[float] | None:
    norm = math.sqrt(dot(v, v))
    return [x / norm for x in v] if norm > 0 else None


def covariance(rows: Sequence[Vector]) -> tuple[list[float], list[list[float]]]:
    """The mean of the rows and their covariance (dividing by the number of rows)."""
    n, dim = len(rows), len(rows[0])
    mean = [sum(row[j] for row in rows) / n for j in range(dim)]
    centred = [[x - m for x, m in zip(row, mean)] for row in rows]
    cov = [[sum(r[a] * r[b] for r in centred) / n for b in range(dim)] for a in range(dim)]
    return mean, cov


def fix_sign(v: list[float]) -> list[float]:
    """Make the entry of largest magnitude positive (the first such, on a tie)."""
    biggest = max(range(len(v)), key=lambda j: abs(v[j]))
    return [-x for x in v] if v[biggest] < 0 else v


def top_eigenvector(
    matrix: Sequence[Vector], orthogonal_to: Sequence[Vector] = (), iterations: int = 1000, tol: float = 1e-13
) -> tuple[list[float] | None, float]:
    """Power iteration for a symmetric positive semi-definite matrix.

    Starts from the matrix's longest column (in the span of the eigenvectors
    that matter, so rarely orthogonal to the top one) and keeps the iterate
    orthogonal to the vectors in `orthogonal_to`. Returns (vector, eigenvalue);
    (None, 0.0) when nothing is left.
    """

    def clean(v: Vector) -> list[float] | None:  # remove the components along the directions already found
        for u in orthogonal_to:
            d = dot(v, u)
            v = [x - d * y for x, y in zip(v, u)]
        return normalise(v)

    columns = [list(col) for col in zip(*matrix)]
    columns.sort(key=lambda col: -dot(col, col))
    v = None
    for col in columns:  # the longest column that still has something left
        v = clean(col)
        if v is not None:
            break
    if v is None:
        return None, 0.0
    for _ in range(iterations):
        w = clean(mat_vec(matrix, v))
        if w is None:  # the matrix sends v to 0: an eigenvalue of 0
            break
        converged = max(abs(a - b) for a, b in zip(w, v)) < tol
        v = w
        if converged:
            break
    return v, dot(v, mat_vec(matrix, v))


def pca(rows: Sequence[Vector], k: int = 2) -> PCA:
    """The top `k` principal components of `rows` (each a list of floats)."""
    if not rows:
        raise ValueError("PCA needs at least one row")
    mean, cov = covariance(rows)
    dim = len(mean)
    total = sum(cov[j][j] for j in range(dim))
    components: list[list[float]] = []
    variances: list[float] = []
    deflated = cov
    for _ in range(k):
        u, lam = top_eigenvector(deflated, orthogonal_to=components)
        if u is None or lam <= 0:
            # No spread left (fewer distinct directions than k): a zero axis.
            components.append([0.0] * dim)
            variances.append(0.0)
            continue
        u = fix_sign(u)
        components.append(u)
        variances.append(lam)
        # Deflation: take this direction's variance out of the matrix.
        deflated = [[deflated[a][b] - lam * u[a] * u[b] for b in range(dim)] for a in range(dim)]
    return PCA(mean, components, variances, total)


def embedding_map(
    weights: Mapping[str, Sequence[Vector]], tokenizer: Tokenizer | None = None, matrix: str = "wte"
) -> EmbeddingMap:
    """Every row of one weight matrix as a point on a 2-D map.

    `weights` is name -> rows of floats (a model's `.weights`, or a past step's
    from `TrainingHistory.weights_at`). Rows of wte and lm_head are tokens,
    labelled by `tokenizer`; rows of wpe are positions, labelled by number.
    """
    rows = weights[matrix]
    fit = pca(rows, k=2)
    points = []
    for i, row in enumerate(rows):
        x, y = fit.project(row)
        label = tokenizer.label(i) if tokenizer is not None and matrix != "wpe" else str(i)
        points.append(EmbeddingPoint(i, label, x, y))
    return EmbeddingMap(matrix, points, fit.explained)
