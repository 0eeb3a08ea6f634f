"""The Beta distribution's numerics: the regularised incomplete beta and its quantile.

Computed here (a continued fraction and a safeguarded Newton solve, vectorised over numpy
arrays) so that scipy is not a runtime dependency; the tests check them against scipy.
"""

from __future__ import annotations

import math

import numpy as np

_FPMIN = 1e-300
_lgamma = np.frompyfunc(math.lgamma, 1, 1)


def _lgam(x: np.ndarray) -> np.ndarray:
    return np.asarray(_lgamma(x), dtype=np.float64)


def _betacf(a: np.ndarray, b: np.ndarray, x: np.ndarray, max_iter: int = 5000) -> np.ndarray:
    """Continued fraction of the incomplete beta (modified Lentz), vectorised."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < _FPMIN, _FPMIN, d)
    d = 1.0 / d
    h = d.copy()
    for m in range(1, max_iter + 1):
        m2 = 2.0 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < _FPMIN, _FPMIN, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _FPMIN, _FPMIN, c)
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < _FPMIN, _FPMIN, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _FPMIN, _FPMIN, c)
        d = 1.0 / d
        de = d * c
        h *= de
        if np.all(np.abs(de - 1.0) < 1e-13):
            break
    return h


def betainc(a, b, x) -> np.ndarray:
    """Regularised incomplete beta I_x(a, b), elementwise."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, x)))
    return _betainc(a, b, x, _lgam(a + b) - _lgam(a) - _lgam(b))


def _betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray, log_norm: np.ndarray) -> np.ndarray:
    """I_x(a, b) given ``log_norm`` = log(1 / B(a, b)) (symmetric in a and b: computed once by
    the caller, not on every Newton step)."""
    out = np.zeros(x.shape)
    inner = (x > 0.0) & (x < 1.0)
    out[x >= 1.0] = 1.0
    if not inner.any():
        return out
    a_, b_, x_ = a[inner], b[inner], x[inner]
    flip = x_ >= (a_ + 1.0) / (a_ + b_ + 2.0)
    aa = np.where(flip, b_, a_)
    bb = np.where(flip, a_, b_)
    xx = np.where(flip, 1.0 - x_, x_)
    log_front = log_norm[inner] + aa * np.log(xx) + bb * np.log1p(-xx)
    value = np.exp(log_front) * _betacf(aa, bb, xx) / aa
    out[inner] = np.where(flip, 1.0 - value, value)
    return out


def beta_ppf(q: float, a, b) -> np.ndarray:
    """Quantile of Beta(a, b) (safeguarded Newton on I_x(a, b) = q), elementwise."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a, b = np.broadcast_arrays(a, b)
    if not 0.0 < q < 1.0:
        raise ValueError(f"quantile: expected 0 < q < 1, got {q!r}")
    shape = a.shape
    a, b = a.ravel(), b.ravel()
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1.0)))
    z = math.sqrt(2.0) * _erfinv(2.0 * q - 1.0)
    x = np.clip(mean + z * sd, 1e-6, 1.0 - 1e-6)
    lo = np.zeros_like(x)
    hi = np.ones_like(x)
    log_norm = _lgam(a + b) - _lgam(a) - _lgam(b)
    active = np.arange(len(x))  # the Newton steps continue only where x still moves
    for _ in range(100):
        ai, bi, xi, ni = a[active], b[active], x[active], log_norm[active]
        f = _betainc(ai, bi, xi, ni) - q
        lo_i = np.where(f < 0, xi, lo[active])
        hi_i = np.where(f >= 0, xi, hi[active])
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            pdf = np.exp(ni + (ai - 1.0) * np.log(xi) + (bi - 1.0) * np.log1p(-xi))
            step = f / pdf
            new = xi - step
        bad = ~np.isfinite(new) | (new <= lo_i) | (new >= hi_i)
        new = np.where(bad, 0.5 * (lo_i + hi_i), new)
        x[active], lo[active], hi[active] = new, lo_i, hi_i
        active = active[np.abs(new - xi) >= 1e-12]
        if len(active) == 0:
            break
    return x.reshape(shape)


def _erfinv(y: float) -> float:
    """Inverse error function (scalar), for the Newton starting point only."""
    lo, hi = -6.0, 6.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
