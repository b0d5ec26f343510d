"""Capa aritmética: powmod, powmod_sec, tablas de base fija, multiexponenciación y pertenencia por lotes."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import gmpy2
import pytest
from gmpy2 import mpz

from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR

G = GRUPO_ESTANDAR
P, Q, GEN = G.p, G.q, G.g


def _exponente(_i: int = 0) -> mpz:
    return mpz(secrets.randbits(256))


def _elementos(n: int) -> list[mpz]:
    """n elementos aleatorios del subgrupo de orden q."""
    return [gmpy2.powmod(GEN, secrets.randbelow(int(Q) - 1) + 1, P) for _ in range(n)]


def test_powmod_256(medir_con: Callable[..., Any]) -> None:
    """La unidad pe misma: g^x mod p con x de 256 bits."""
    x, y = medir_con(lambda e: (e, gmpy2.powmod(GEN, e, P)), _exponente, rondas=200)
    assert y == pow(int(GEN), int(x), int(P))


def test_potencia_secreta_256(medir_con: Callable[..., Any]) -> None:
    """powmod_sec (tiempo constante) con exponente de 256 bits, base que no es g."""
    base = _elementos(1)[0]
    x, y = medir_con(lambda e: (e, ar.potencia_secreta(base, e, P)), _exponente, rondas=100)
    assert y == gmpy2.powmod(base, x, P)


def test_tabla_base_fija_construccion(anotar: Any) -> None:
    tabla = anotar.pedantic(ar.TablaBaseFija, args=(GEN, P, Q), rounds=3, warmup_rounds=0)
    e = _exponente()
    assert tabla.potencia(e) == gmpy2.powmod(GEN, e, P)


def test_tabla_base_fija_potencia(medir_con: Callable[..., Any]) -> None:
    tabla = G.tabla(GEN)
    x, y = medir_con(lambda e: (e, tabla.potencia(e)), _exponente, rondas=500)
    assert y == gmpy2.powmod(GEN, x, P)


def test_multiexp_2_bases_256(medir_con: Callable[..., Any]) -> None:
    """a = g^v·K^c, b = A^v·M^c: la forma de las verificaciones de descifrado."""
    bases = _elementos(2)
    exps, y = medir_con(lambda es: (es, ar.multiexp(bases, es, P)), lambda _i: [_exponente(), _exponente()], rondas=100)
    assert y == gmpy2.powmod(bases[0], exps[0], P) * gmpy2.powmod(bases[1], exps[1], P) % P


def test_multiexp_3_bases_exponentes_pequenos(anotar: Any) -> None:
    """∏ K_j^(ℓ^j) con ℓ = 5, k = 3 (Feldman y llaves de verificación de la ceremonia)."""
    bases = _elementos(3)
    exps = [mpz(1), mpz(5), mpz(25)]
    y = anotar(ar.multiexp, bases, exps, P)
    esperado = 1
    for b, e in zip(bases, exps, strict=True):
        esperado = esperado * gmpy2.powmod(b, e, P) % P
    assert y == esperado


@pytest.fixture(scope="module")
def veinte() -> list[mpz]:
    return _elementos(20)


def test_pertenencia_lote_20(anotar: Any, veinte: list[mpz]) -> None:
    """V-G2: Jacobi de cada uno + una multiexponenciación de 128 bits + una potencia q."""
    assert anotar(G.son_miembros, veinte) is True
    assert G.son_miembros([*veinte[:-1], P - veinte[-1]]) is False  # −x tiene Jacobi −1


def test_pertenencia_individual_20(anotar: Any, veinte: list[mpz]) -> None:
    """V-G1 veinte veces (x^q ≡ 1): la referencia contra la que se compara el lote."""
    assert anotar(lambda xs: all(G.es_miembro(x) for x in xs), veinte) is True
