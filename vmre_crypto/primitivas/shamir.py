"""Compartición de secretos de Shamir con verificación de Feldman (§7.1–7.3).

Cada custodio i elige P_i(x) = Σ_(j<k) a_ij·x^j sobre Z_q y publica K_ij = g^(a_ij).  El
custodio ℓ comprueba su valor con g^(P_i(ℓ)) = ∏_j K_ij^(ℓ^j) (ecuación (7.3), EG 2.0 (21)).
La llave de verificación del custodio ℓ es g^(P(ℓ)) = ∏_i ∏_j K_ij^(ℓ^j) (7.5).  Los pesos
de Lagrange para un cuórum U son w_i = ∏_(ℓ∈U, ℓ≠i) ℓ/(ℓ−i) mod q (7.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gmpy2 import mpz

from . import _aritmetica as ar
from .grupo import ElementoP, ElementoQ, Grupo

__all__ = ["Polinomio", "evaluar_compromisos", "pesos_lagrange"]


@dataclass(frozen=True, slots=True, repr=False)
class Polinomio:
    """Polinomio secreto de grado k−1; su ``repr`` nunca muestra coeficientes."""

    coeficientes: tuple[ElementoQ, ...]

    @classmethod
    def aleatorio(cls, grupo: Grupo, cuorum: int) -> Polinomio:
        return cls(tuple(grupo.aleatorio_q() for _ in range(cuorum)))

    def evaluar(self, x: int) -> ElementoQ:
        """P(x) por Horner en Z_q."""
        grupo = self.coeficientes[0].grupo
        acumulado = mpz(0)
        for a in reversed(self.coeficientes):
            acumulado = (acumulado * x + a.valor) % grupo.q
        return ElementoQ._confiable(acumulado, grupo)

    def compromisos(self) -> tuple[ElementoP, ...]:
        """K_ij = g^(a_ij), ecuación (7.2)."""
        grupo = self.coeficientes[0].grupo
        return tuple(grupo.g_a_la_secreta(a) for a in self.coeficientes)

    def __repr__(self) -> str:
        return f"Polinomio(grado={len(self.coeficientes) - 1}, <coeficientes ocultos>)"


def evaluar_compromisos(compromisos: Sequence[ElementoP], x: int) -> ElementoP:
    """∏_j K_j^(x^j) mod p, lado derecho de (7.3).  Exponentes pequeños: x^j < n^k."""
    grupo = compromisos[0].grupo
    exponentes = [mpz(x) ** j for j in range(len(compromisos))]
    valor = ar.multiexp([c.valor for c in compromisos], exponentes, grupo.p)
    return ElementoP._confiable(valor, grupo)


def pesos_lagrange(grupo: Grupo, cuorum: Sequence[int]) -> dict[int, ElementoQ]:
    """w_i = ∏_(ℓ∈U, ℓ≠i) ℓ/(ℓ−i) mod q para cada i del cuórum U, ecuación (7.6)."""
    q = grupo.q
    if len(set(cuorum)) != len(cuorum) or any(not 1 <= i < q for i in cuorum):
        raise ValueError("el cuórum debe tener índices distintos en 1..q−1")
    pesos: dict[int, ElementoQ] = {}
    for i in cuorum:
        num, den = mpz(1), mpz(1)
        for ell in cuorum:
            if ell != i:
                num = num * ell % q
                den = den * (ell - i) % q
        pesos[i] = ElementoQ._confiable(num * ar.inverso(den, q) % q, grupo)
    return pesos
