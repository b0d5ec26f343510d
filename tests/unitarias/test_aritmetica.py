"""Capa aritmética: tablas de base fija, multiexponenciación, potencias y fuentes de azar."""

from __future__ import annotations

import secrets

import gmpy2
import pytest
from gmpy2 import mpz
from hypothesis import given, settings
from hypothesis import strategies as st

from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
P, Q = int(G.p), int(G.q)
GEN = int(G.g)
# Otro elemento de orden q (una "llave" cualquiera) para no probar solo con g.
OTRA_BASE = pow(GEN, secrets.randbelow(Q - 1) + 1, P)


@pytest.fixture(scope="module")
def tabla_g() -> ar.TablaBaseFija:
    return ar.TablaBaseFija(mpz(GEN), G.p, G.q)


# -- TablaBaseFija -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "exponente",
    [0, 1, 2, 255, 256, 257, Q - 1, Q, Q + 1, 2 * Q + 7, 2**256 - 1, 2**300 + 12345, 2**4096 + 3],
)
def test_tabla_potencia_casos_borde(tabla_g: ar.TablaBaseFija, exponente: int) -> None:
    assert tabla_g.potencia(exponente) == gmpy2.powmod(GEN, exponente, P)


def test_tabla_potencia_aleatorios(tabla_g: ar.TablaBaseFija) -> None:
    for _ in range(20):
        e = secrets.randbelow(Q)
        assert tabla_g.potencia(e) == gmpy2.powmod(GEN, e, P)
        assert tabla_g.potencia(mpz(e)) == gmpy2.powmod(GEN, e, P)


def test_tabla_potencia_q_y_0_dan_uno(tabla_g: ar.TablaBaseFija) -> None:
    assert tabla_g.potencia(0) == 1
    assert tabla_g.potencia(Q) == 1
    assert tabla_g.potencia(1) == GEN


@pytest.mark.parametrize("ancho", [1, 4, 5, 8])
def test_tabla_otros_anchos_y_otra_base(ancho: int) -> None:
    tabla = ar.TablaBaseFija(mpz(OTRA_BASE), G.p, G.q, ancho=ancho)
    for e in (0, 1, Q - 1, Q + 3, secrets.randbelow(Q), secrets.randbelow(2**512)):
        assert tabla.potencia(e) == gmpy2.powmod(OTRA_BASE, e, P)


def test_tabla_en_grupo_pequeno() -> None:
    """Módulo pequeño (p = 2039, q = 1019, g = 4): se comprueban todos los exponentes."""
    tabla = ar.TablaBaseFija(mpz(4), mpz(2039), mpz(1019), ancho=3)
    for e in range(0, 2 * 1019 + 5):
        assert tabla.potencia(e) == pow(4, e, 2039)


# -- multiexp ---------------------------------------------------------------------------
def _producto_de_potencias(bases: list[int], exponentes: list[int]) -> int:
    resultado = 1
    for b, e in zip(bases, exponentes, strict=True):
        resultado = resultado * pow(b, e, P) % P
    return resultado


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_multiexp_igual_al_producto_de_potencias(n: int) -> None:
    bases = [pow(GEN, secrets.randbelow(Q), P) for _ in range(n)]
    exponentes = [secrets.randbelow(Q) for _ in range(n)]
    assert ar.multiexp([mpz(b) for b in bases], exponentes, G.p) == _producto_de_potencias(bases, exponentes)


def test_multiexp_casos_borde() -> None:
    b1, b2, b3 = (pow(GEN, secrets.randbelow(Q), P) for _ in range(3))
    casos = [
        ([b1], [0]),
        ([b1], [1]),
        ([b1], [Q - 1]),
        ([b1, b2], [0, 0]),
        ([b1, b2], [0, Q - 1]),
        ([b1, b2, b3], [1, 2**128 + 1, 15]),
        ([b1, b2], [16, 17]),  # cruzan una ventana de 4 bits
        ([b1, b2], [2**300, 3]),  # exponentes de longitudes muy distintas
        ([b1, b1], [5, 7]),  # la misma base dos veces
        ([1, b2], [secrets.randbelow(Q), 9]),
        ([P - 1, b2], [3, 4]),  # base fuera del subgrupo: la función es genérica
    ]
    for bases, exponentes in casos:
        esperado = _producto_de_potencias(bases, exponentes)
        assert ar.multiexp([mpz(b) for b in bases], exponentes, G.p) == esperado, exponentes


def test_multiexp_vacio_y_errores() -> None:
    assert ar.multiexp([], [], G.p) == 1
    with pytest.raises(ValueError):
        ar.multiexp([mpz(GEN)], [1, 2], G.p)
    with pytest.raises(ValueError):
        ar.multiexp([mpz(GEN), mpz(GEN)], [1, -2], G.p)


@settings(max_examples=30, deadline=None, database=None)
@given(
    exps=st.lists(
        st.one_of(st.sampled_from([0, 1, 15, 16, Q - 1]), st.integers(0, Q - 1)), min_size=1, max_size=6
    )
)
def test_multiexp_propiedad_modulo_pequeno(exps: list[int]) -> None:
    bases = [mpz(pow(3, 7 * (k + 1), 2039)) for k in range(len(exps))]
    esperado = 1
    for b, e in zip(bases, exps, strict=True):
        esperado = esperado * pow(int(b), e, 2039) % 2039
    assert ar.multiexp(bases, exps, mpz(2039)) == esperado


# -- potencias, inversos y Jacobi ---------------------------------------------------------
def test_potencia_y_potencia_secreta() -> None:
    for e in (0, 1, 2, Q - 1, secrets.randbelow(Q)):
        esperado = pow(OTRA_BASE, e, P)
        assert ar.potencia(mpz(OTRA_BASE), e, G.p) == esperado
        assert ar.potencia_secreta(mpz(OTRA_BASE), e, G.p) == esperado
        assert ar.potencia_secreta(mpz(OTRA_BASE), mpz(e), G.p) == esperado


def test_inverso() -> None:
    x = mpz(OTRA_BASE)
    assert ar.inverso(x, G.p) * x % G.p == 1
    assert ar.inverso(mpz(2), G.q) * 2 % G.q == 1


def test_jacobi() -> None:
    # p ≡ 3 (mod 4): −1 no es residuo cuadrático; p ≡ 7 (mod 8): 2 sí lo es.
    assert P % 8 == 7
    assert ar.jacobi(G.p - 1, G.p) == -1
    assert ar.jacobi(mpz(2), G.p) == 1
    assert ar.jacobi(mpz(OTRA_BASE), G.p) == 1
    assert ar.jacobi(G.p - OTRA_BASE, G.p) == -1


# -- fuentes de azar ---------------------------------------------------------------------
def test_fuente_determinista_reproducible_y_en_rango() -> None:
    a, b = ar.FuenteDeterminista(b"s"), ar.FuenteDeterminista(b"s")
    assert [a.bits(300) for _ in range(5)] == [b.bits(300) for _ in range(5)]
    assert ar.FuenteDeterminista(b"s").bits(256) != ar.FuenteDeterminista(b"t").bits(256)
    f = ar.FuenteDeterminista(b"rango")
    valores = [f.bajo(10) for _ in range(400)]
    assert set(valores) == set(range(10))
    assert all(f.bits(13) < 2**13 for _ in range(100))
    assert max(f.bits(13) for _ in range(200)) >= 2**12  # usa todos los bits pedidos
    assert all(f.bajo(1) == 0 for _ in range(5))


def test_aleatorio_bajo_y_bytes_bajo_semilla() -> None:
    with con_semilla(b"semilla"):
        primero = ([ar.aleatorio_bajo(Q) for _ in range(3)], ar.bytes_aleatorios(32))
    with con_semilla("semilla"):
        segundo = ([ar.aleatorio_bajo(Q) for _ in range(3)], ar.bytes_aleatorios(32))
    assert primero == segundo
    assert all(0 <= x < Q for x in primero[0])
    assert len(primero[1]) == 32
    with con_semilla(12345):
        con_entero = ar.aleatorio_bajo(Q)
    with con_semilla("12345"):
        assert ar.aleatorio_bajo(Q) == con_entero
    # Fuera de la semilla vuelve el azar de ``secrets``.
    assert ar.aleatorio_bajo(Q) not in primero[0]
    assert ar.bytes_aleatorios(32) != primero[1]


def test_con_semilla_anidada_restaura_la_fuente_anterior() -> None:
    with con_semilla(b"externa"):
        a1 = ar.aleatorio_bajo(Q)
        with con_semilla(b"interna"):
            ar.aleatorio_bajo(Q)
        a2 = ar.aleatorio_bajo(Q)
    with con_semilla(b"externa"):
        assert [ar.aleatorio_bajo(Q), ar.aleatorio_bajo(Q)] == [a1, a2]


def test_bits_aleatorios_nunca_deterministas() -> None:
    """Los exponentes de la prueba por lotes salen siempre de ``secrets`` (§2.3)."""
    with con_semilla(b"igual"):
        x = ar.bits_aleatorios(128)
    with con_semilla(b"igual"):
        y = ar.bits_aleatorios(128)
    assert x != y
    for _ in range(20):
        z = ar.bits_aleatorios(128)
        assert 2**127 <= z < 2**128
