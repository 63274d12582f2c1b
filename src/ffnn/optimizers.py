"""Gradient-descent optimisers (Eqs. 23-29) as classes with per-parameter state.

``step(params, grads, penalties)`` updates each array of ``params`` in place from the gradient
of the same shape, plus the gradient of its penalty if it has one. State (velocities, moment
estimates) is created lazily on the first step, so one optimiser object serves one list of
parameters.

Each class's ``_update`` is the NumPy reference of its rule; ``_fused_update`` does the same in
one pass over memory with a kernel of :mod:`ffnn.kernels.optimizers`, penalty gradient
included, and is what ``step`` uses unless inside :func:`ffnn.kernels.numpy_reference` (or for
a parameter that is not C-contiguous, which the flat kernels cannot update in place).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import kernels
from .kernels import optimizers as fused
from .regularizers import Regularizer


class Optimizer:
    """Base class.

    Parameters
    ----------
    learning_rate : float
        Step size eta > 0.
    """

    name = "optimizer"

    def __init__(self, learning_rate: float):
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
        self.learning_rate = float(learning_rate)
        self.t = 0

    def step(
        self,
        params: Sequence[np.ndarray],
        grads: Sequence[np.ndarray],
        penalties: Sequence[Regularizer | None] | None = None,
    ) -> None:
        """Update every parameter in place.

        Parameters
        ----------
        params : sequence of ndarray
        grads : sequence of ndarray
            Gradient of the data loss for each parameter, same shapes as ``params``.
        penalties : sequence of Regularizer or None, optional
            Per parameter, the penalty whose gradient is added to its gradient (``None``:
            no penalty, e.g. for a bias). Default: no penalties.
        """
        if penalties is None:
            penalties = [None] * len(params)
        if not len(params) == len(grads) == len(penalties):
            raise ValueError(
                f"step got {len(params)} parameters, {len(grads)} gradients and {len(penalties)} penalties"
            )
        self.t += 1
        for i, (param, grad, penalty) in enumerate(zip(params, grads, penalties, strict=True)):
            if grad.shape != param.shape:
                raise ValueError(f"gradient {i} has shape {grad.shape}, its parameter {param.shape}")
            if kernels.fused_enabled() and param.flags.c_contiguous:
                l2, l1 = (0.0, 0.0) if penalty is None else penalty.gradient_coefficients
                grad = np.ascontiguousarray(grad, dtype=param.dtype)
                self._fused_update(i, param, grad, param.dtype.type(l2), param.dtype.type(l1))
            else:
                if penalty is not None:
                    grad = grad + penalty.gradient(param)
                self._update(i, param, grad)

    def _update(self, i: int, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def _fused_update(self, i: int, param: np.ndarray, grad: np.ndarray, l2, l1) -> None:
        """``_update`` with the penalty gradient ``l2 * param + l1 * sign(param)`` added, in one
        pass; ``param`` and ``grad`` are C-contiguous and ``l2``, ``l1`` of the parameter's dtype."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class _StatefulOptimizer(Optimizer):
    """Keeps zero-initialised state arrays per parameter, named by ``_state_names``."""

    _state_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float):
        super().__init__(learning_rate)
        self._state: list[dict[str, np.ndarray]] = []

    def _slots(self, i: int, param: np.ndarray) -> dict[str, np.ndarray]:
        if i == len(self._state):
            self._state.append({name: np.zeros_like(param) for name in self._state_names})
        return self._state[i]


def _flat(*arrays: np.ndarray) -> list[np.ndarray]:
    """1-D views of C-contiguous arrays, as the kernels take them."""
    return [a.reshape(-1) for a in arrays]


class GradientDescent(Optimizer):
    """Plain (stochastic) gradient descent ``theta <- theta - eta g`` (Eq. 23)."""

    name = "sgd"

    def _update(self, i, param, grad):
        param -= self.learning_rate * grad

    def _fused_update(self, i, param, grad, l2, l1):
        fused.sgd(*_flat(param, grad), param.dtype.type(self.learning_rate), l2, l1)


class Momentum(_StatefulOptimizer):
    """Heavy-ball momentum ``v <- mu v - eta g; theta <- theta + v``.

    This is the form of scikit-learn's ``SGDOptimizer`` (non-Nesterov).

    Parameters
    ----------
    momentum : float, default 0.9
        The mu of the study's momentum runs: its text names no value, its code's ``Momentum``
        (github.com/egil10/FYSSTK3155, ``PROJECT 2/Code/optimizers.py``) defaults to 0.9.
        scikit-learn's default too; ``torch.optim.SGD`` defaults to 0 (plain SGD).
    """

    name = "momentum"
    _state_names = ("velocity",)

    def __init__(self, learning_rate: float, momentum: float = 0.9):
        super().__init__(learning_rate)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = momentum

    def _update(self, i, param, grad):
        velocity = self._slots(i, param)["velocity"]
        velocity *= self.momentum
        velocity -= self.learning_rate * grad
        param += velocity

    def _fused_update(self, i, param, grad, l2, l1):
        cast = param.dtype.type
        velocity = self._slots(i, param)["velocity"]
        fused.momentum(*_flat(param, grad, velocity), cast(self.learning_rate), cast(self.momentum), l2, l1)


class Adagrad(_StatefulOptimizer):
    """Adagrad: ``G <- G + g^2; theta <- theta - eta g / (sqrt(G) + eps)``."""

    name = "adagrad"
    _state_names = ("sum_squares",)

    def __init__(self, learning_rate: float, eps: float = 1e-8):
        super().__init__(learning_rate)
        self.eps = eps

    def _update(self, i, param, grad):
        sum_squares = self._slots(i, param)["sum_squares"]
        sum_squares += grad * grad
        param -= self.learning_rate * grad / (np.sqrt(sum_squares) + self.eps)

    def _fused_update(self, i, param, grad, l2, l1):
        cast = param.dtype.type
        sum_squares = self._slots(i, param)["sum_squares"]
        fused.adagrad(*_flat(param, grad, sum_squares), cast(self.learning_rate), cast(self.eps), l2, l1)


class RMSProp(_StatefulOptimizer):
    """RMSProp (Eq. 25): ``v <- beta v + (1 - beta) g^2; theta <- theta - eta g / (sqrt(v) + eps)``.

    Parameters
    ----------
    beta : float, default 0.9
        The decay rate, the study's "typically 0.9" (Section II); ``torch.optim.RMSprop`` calls it
        ``alpha`` and defaults to 0.99.
    eps : float, default 1e-8
        Added to ``sqrt(v)`` as in PyTorch; Eq. 25 adds it under the root, which differs
        only where ``v`` is of order ``eps``.
    """

    name = "rmsprop"
    _state_names = ("mean_square",)

    def __init__(self, learning_rate: float, beta: float = 0.9, eps: float = 1e-8):
        super().__init__(learning_rate)
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), got {beta!r}")
        self.beta, self.eps = beta, eps

    def _update(self, i, param, grad):
        mean_square = self._slots(i, param)["mean_square"]
        mean_square *= self.beta
        mean_square += (1 - self.beta) * grad * grad
        param -= self.learning_rate * grad / (np.sqrt(mean_square) + self.eps)

    def _fused_update(self, i, param, grad, l2, l1):
        cast = param.dtype.type
        mean_square = self._slots(i, param)["mean_square"]
        fused.rmsprop(
            *_flat(param, grad, mean_square), cast(self.learning_rate), cast(self.beta), cast(self.eps), l2, l1
        )


class Adam(_StatefulOptimizer):
    """Adam (Eqs. 26-29) with bias-corrected first and second moments.

    Parameters
    ----------
    beta1 : float, default 0.9
    beta2 : float, default 0.999
        Both defaults are the study's (Section II), and PyTorch's and scikit-learn's.
    eps : float, default 1e-8
        Added to ``sqrt(v_hat)`` as in Kingma & Ba, PyTorch and scikit-learn; Eq. 29 adds
        it under the root, which differs only where ``v_hat`` is of order ``eps``.
    """

    name = "adam"
    _state_names = ("m", "v")

    def __init__(self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(learning_rate)
        for label, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{label} must be in [0, 1), got {beta!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _update(self, i, param, grad):
        # In-place passes only: on a 784x512 layer, allocating temporaries cost more than
        # the arithmetic. m <- beta1 (m - g) + g is Eq. 26 rearranged, likewise Eq. 27.
        slots = self._slots(i, param)
        if "buffer" not in slots:  # scratch space of these passes; the fused update needs none
            slots["buffer"] = np.empty_like(param)
        m, v, buffer = slots["m"], slots["v"], slots["buffer"]
        m -= grad
        m *= self.beta1
        m += grad
        np.multiply(grad, grad, out=buffer)
        v -= buffer
        v *= self.beta2
        v += buffer
        # Python floats, not NumPy float64 scalars: a float64 operand would make each pass
        # over a float32 array compute in float64 and cast back, several times slower.
        step, eps = self._corrected_step_and_eps()
        np.sqrt(v, out=buffer)
        buffer += eps
        np.divide(m, buffer, out=buffer)
        buffer *= step
        param -= buffer

    def _fused_update(self, i, param, grad, l2, l1):
        cast = param.dtype.type
        slots = self._slots(i, param)
        step, eps = self._corrected_step_and_eps()
        fused.adam(
            *_flat(param, grad, slots["m"], slots["v"]),
            cast(step),
            cast(self.beta1),
            cast(self.beta2),
            cast(eps),
            l2,
            l1,
        )

    def _corrected_step_and_eps(self) -> tuple[float, float]:
        """The bias corrections of Eq. 28 folded into the step size and eps at step ``t``:
        eta * m_hat / (sqrt(v_hat) + eps) = step * m / (sqrt(v) + eps * sqrt(1 - beta2^t))."""
        correction2 = math.sqrt(1 - self.beta2**self.t)
        return self.learning_rate * correction2 / (1 - self.beta1**self.t), self.eps * correction2


OPTIMIZERS = {cls.name: cls for cls in (GradientDescent, Momentum, Adagrad, RMSProp, Adam)}


def get_optimizer(spec: str | Optimizer, learning_rate: float | None = None, **kwargs) -> Optimizer:
    """Return an optimiser from its name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"rmsprop"``,
    ``"adam"``) and learning rate, or pass an instance through. ``"gd"`` is an alias of ``"sgd"``."""
    if isinstance(spec, Optimizer):
        return spec
    name = "sgd" if spec == "gd" else spec
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {spec!r}; choose one of {sorted(OPTIMIZERS)}") from None
    if learning_rate is None:
        raise ValueError(f"optimizer {spec!r} needs a learning_rate")
    return cls(learning_rate, **kwargs)
