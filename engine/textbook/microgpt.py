"""microgpt, the whole algorithm in one file: train a tiny GPT on names, then let it make up new ones.

Read it top to bottom. Every number is a `Value`, a scalar that remembers how it was
computed, so that `backward()` can apply the chain rule and tell each weight how to
move. The model is a one-layer Transformer (GPT-2's shape, simplified); Adam moves the
weights; sampling draws new names one character at a time.

Run it in a folder that holds `input.txt`, one document (here: one name) per line.
It uses only the standard library, and gives the very numbers of the app's engine.
"""

from __future__ import annotations

import math
import random

random.seed(42)  # one seed drives everything below: the shuffle, the initial weights, the samples

# ---------------------------------------------------------------------------------------------
# The data: one document per line, shuffled. The vocabulary is every character seen, plus BOS.
# ---------------------------------------------------------------------------------------------
with open("input.txt", encoding="utf-8-sig") as f:
    docs = [line.strip() for line in f.read().split("\n") if line.strip()]
random.shuffle(docs)
print(f"num docs: {len(docs)}")

uchars = sorted(set("".join(docs)))  # the characters, each a token id: its index here
BOS = len(uchars)  # one more token: "beginning (or end) of a sequence"
vocab_size = len(uchars) + 1
print(f"vocab size: {vocab_size}")


# ---------------------------------------------------------------------------------------------
# Autograd: a scalar that remembers its children and d(itself)/d(each child).
# ---------------------------------------------------------------------------------------------
class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data: float, children: tuple[Value, ...] = (), local_grads: tuple[float, ...] = ()) -> None:
        self.data = data  # the number, computed on the way forward
        self.grad = 0.0  # d(loss)/d(this number), filled in on the way back
        self._children = children  # the Values this one was computed from
        self._local_grads = local_grads  # d(this)/d(child), one per child

    # Six operations know their own derivative ...
    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k: float) -> Value:
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self) -> Value:
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self) -> Value:
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self) -> Value:
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    # ... and the rest are made of them.
    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __rsub__(self, other: float) -> Value:
        return other + (-self)

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:
        return other * self**-1

    def backward(self) -> None:
        # Order the graph so that every node comes after all the nodes it was made from
        # (depth first, with a list as the stack rather than recursion: graphs are deep) ...
        topo, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node._children))
        # ... then walk it from the loss back: the chain rule, one edge at a time.
        self.grad = 1.0
        for node in reversed(topo):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad


# ---------------------------------------------------------------------------------------------
# The parameters: small random numbers, in matrices of rows. Their order fixes the random draws.
# ---------------------------------------------------------------------------------------------
n_embd = 16  # the width of every vector the model passes along
n_head = 4  # attention heads; each looks at n_embd // n_head of the dimensions
n_layer = 1  # Transformer blocks
block_size = 16  # the longest context, in tokens
head_dim = n_embd // n_head


def matrix(nout: int, nin: int, std: float = 0.08) -> list[list[Value]]:
    return [[Value(random.gauss(0, std)) for _ in range(nin)] for _ in range(nout)]


state_dict = {
    "wte": matrix(vocab_size, n_embd),
    "wpe": matrix(block_size, n_embd),
    "lm_head": matrix(vocab_size, n_embd),
}
for i in range(n_layer):
    state_dict[f"layer{i}.attn_wq"] = matrix(n_embd, n_embd)
    state_dict[f"layer{i}.attn_wk"] = matrix(n_embd, n_embd)
    state_dict[f"layer{i}.attn_wv"] = matrix(n_embd, n_embd)
    state_dict[f"layer{i}.attn_wo"] = matrix(n_embd, n_embd)
    state_dict[f"layer{i}.mlp_fc1"] = matrix(4 * n_embd, n_embd)
    state_dict[f"layer{i}.mlp_fc2"] = matrix(n_embd, 4 * n_embd)
params = [p for mat in state_dict.values() for row in mat for p in row]  # all of them, in one list
print(f"num params: {len(params)}")


# ---------------------------------------------------------------------------------------------
# The model: the logits (one score per token) for what comes after `token_id` at `pos_id`.
# ---------------------------------------------------------------------------------------------
def linear(x: list[Value], w: list[list[Value]]) -> list[Value]:  # w @ x: one weighted sum per row of w
    return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]


def softmax(
    logits: list[Value],
) -> list[Value]:  # scores -> probabilities; shifting by the max keeps exp() from overflowing
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x: list[Value]) -> list[Value]:  # rescale x to a root mean square of 1
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt(token_id: int, pos_id: int, keys: list[list[list[Value]]], values: list[list[list[Value]]]) -> list[Value]:
    # keys / values: per layer, the keys and values of the positions already seen (the KV cache);
    # this position's are appended, so attention can only look back: no mask needed.
    tok_emb = state_dict["wte"][token_id]  # what the token is
    pos_emb = state_dict["wpe"][pos_id]  # where it is
    x = [t + p for t, p in zip(tok_emb, pos_emb)]
    x = rmsnorm(x)  # not redundant: the residual stream below starts normalised

    for li in range(n_layer):
        # 1) Attention: gather from earlier positions.
        x_residual = x
        x = rmsnorm(x)
        q = linear(x, state_dict[f"layer{li}.attn_wq"])  # what this position looks for
        k = linear(x, state_dict[f"layer{li}.attn_wk"])  # what it offers to later ones
        v = linear(x, state_dict[f"layer{li}.attn_wv"])  # what it hands over when chosen
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(n_head):
            hs = h * head_dim
            q_h = q[hs : hs + head_dim]
            k_h = [ki[hs : hs + head_dim] for ki in keys[li]]
            v_h = [vi[hs : hs + head_dim] for vi in values[li]]
            attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]
            attn_weights = softmax(attn_logits)
            head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]
            x_attn.extend(head_out)
        x = linear(x_attn, state_dict[f"layer{li}.attn_wo"])
        x = [a + b for a, b in zip(x, x_residual)]

        # 2) MLP: think about it, one position at a time.
        x_residual = x
        x = rmsnorm(x)
        x = linear(x, state_dict[f"layer{li}.mlp_fc1"])
        x = [xi.relu() for xi in x]
        x = linear(x, state_dict[f"layer{li}.mlp_fc2"])
        x = [a + b for a, b in zip(x, x_residual)]

    return linear(x, state_dict["lm_head"])


# ---------------------------------------------------------------------------------------------
# Training: one document a step; Adam moves every weight against its (smoothed) gradient.
# ---------------------------------------------------------------------------------------------
learning_rate, beta1, beta2, eps_adam = 0.01, 0.85, 0.99, 1e-8
m = [0.0] * len(params)  # Adam's running mean of each gradient
v = [0.0] * len(params)  # ... and of each squared gradient

num_steps = 1000
for step in range(num_steps):
    # The document, as token ids with BOS on both sides: "a name starts" ... "the name is over".
    doc = docs[step % len(docs)]
    tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]
    n = min(block_size, len(tokens) - 1)

    # Forward: at each position, how surprised is the model by the true next token?
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        logits = gpt(token_id, pos_id, keys, values)
        probs = softmax(logits)
        loss_t = -probs[target_id].log()  # cross-entropy: -log(the probability of the truth)
        losses.append(loss_t)
    loss = (1 / n) * sum(losses)  # the mean over the document's positions

    # Backward: d(loss)/d(every parameter), into each p.grad.
    loss.backward()

    # Adam, with a learning rate that decays linearly to 0 over the run.
    lr_t = learning_rate * (1 - step / num_steps)
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad**2
        m_hat = m[i] / (1 - beta1 ** (step + 1))  # both averages start at 0: undo that bias
        v_hat = v[i] / (1 - beta2 ** (step + 1))
        p.data -= lr_t * m_hat / (v_hat**0.5 + eps_adam)
        p.grad = 0.0

    print(f"step {step + 1:4d} / {num_steps:4d} | loss {loss.data:.4f}")

# ---------------------------------------------------------------------------------------------
# Sampling: start from BOS, draw a token from the model's probabilities, feed it back, repeat.
# ---------------------------------------------------------------------------------------------
temperature = 0.5  # below 1: safer, more typical names; above 1: more surprising ones
print(f"--- inference (names drawn at temperature {temperature}) ---")
for sample_idx in range(20):
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    token_id = BOS
    sample = []
    for pos_id in range(block_size):
        logits = gpt(token_id, pos_id, keys, values)
        probs = softmax([logit / temperature for logit in logits])
        token_id = random.choices(range(vocab_size), weights=[p.data for p in probs])[0]
        if token_id == BOS:
            break
        sample.append(uchars[token_id])
    print(f"sample {sample_idx + 1:2d}: {''.join(sample)}")
