"""Logaritmo discreto acotado en base K (§9.5 de la especificación).

Tras el descifrado conjunto se obtiene T = K^t con 0 ≤ t ≤ cota, donde la cota es N_c, el
número de boletas agregadas en la contienda (V10).  Se usa paso de bebé–paso de gigante con
m = ⌈√(cota+1)⌉: a lo sumo 2·m multiplicaciones y una inversión.
"""

from __future__ import annotations

from math import isqrt

import gmpy2
from gmpy2 import mpz

from ..errores import ErrorDescifrado, Motivo
from .grupo import ElementoP

__all__ = ["logaritmo_discreto"]


def logaritmo_discreto(objetivo: ElementoP, base: ElementoP, cota: int) -> int:
    """Devuelve t en [0, cota] con base^t = objetivo o lanza ``LOGARITMO_FUERA_DE_COTA``."""
    if cota < 0:
        raise ValueError("la cota debe ser no negativa")
    p = base.grupo.p
    objetivo_v = objetivo.valor
    if objetivo_v == 1:
        return 0
    m = isqrt(cota) + 1
    bebes: dict[mpz, int] = {}
    actual = mpz(1)
    for j in range(m):
        bebes.setdefault(actual, j)
        actual = actual * base.valor % p
    # actual = base^m; paso gigante: objetivo · base^(−m·i).
    paso = gmpy2.invert(actual, p)
    gamma = mpz(objetivo_v)
    for i in range(m + 1):
        bebe = bebes.get(gamma)
        if bebe is not None:
            t = i * m + bebe
            if t <= cota:
                return t
            break
        gamma = gamma * paso % p
    raise ErrorDescifrado(
        Motivo.LOGARITMO_FUERA_DE_COTA,
        "El resultado descifrado no es una potencia de K dentro de la cota esperada.",
        cota=cota,
    )
