"""Shamir con verificación de Feldman y pesos de Lagrange."""

from __future__ import annotations

import itertools

import pytest

from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoQ
from vmre_crypto.primitivas.shamir import Polinomio, evaluar_compromisos, pesos_lagrange
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
P, Q, GEN = int(G.p), int(G.q), int(G.g)


def _ingenuo(coeficientes: list[int], x: int) -> int:
    return sum(a * x**j for j, a in enumerate(coeficientes)) % Q


def _reconstruir(polinomio: Polinomio, cuorum: list[int]) -> int:
    pesos = pesos_lagrange(G, cuorum)
    return sum(int(pesos[i]) * int(polinomio.evaluar(i)) for i in cuorum) % Q


def test_polinomio_aleatorio_y_evaluar() -> None:
    polinomio = Polinomio.aleatorio(G, 4)
    coeficientes = [int(a) for a in polinomio.coeficientes]
    assert len(coeficientes) == 4 and len(set(coeficientes)) == 4
    for x in (0, 1, 2, 5, 17, 2**40):
        assert int(polinomio.evaluar(x)) == _ingenuo(coeficientes, x)
    assert polinomio.evaluar(0) == polinomio.coeficientes[0]


def test_polinomio_con_coeficientes_extremos() -> None:
    polinomio = Polinomio(tuple(ElementoQ(v, G) for v in (Q - 1, Q - 1, Q - 1)))
    for x in range(6):
        assert int(polinomio.evaluar(x)) == _ingenuo([Q - 1] * 3, x)
    constante = Polinomio((ElementoQ(42, G),))
    assert int(constante.evaluar(9)) == 42


def test_compromisos_son_g_a_los_coeficientes() -> None:
    polinomio = Polinomio.aleatorio(G, 3)
    assert [int(k) for k in polinomio.compromisos()] == [pow(GEN, int(a), P) for a in polinomio.coeficientes]


def test_feldman_acepta_el_valor_correcto_y_distingue_uno_equivocado() -> None:
    polinomio = Polinomio.aleatorio(G, 3)
    compromisos = polinomio.compromisos()
    for ell in range(1, 6):
        valor = polinomio.evaluar(ell)
        assert evaluar_compromisos(compromisos, ell) == G.g_a_la(valor)
        assert evaluar_compromisos(compromisos, ell) != G.g_a_la(valor + 1)
        assert evaluar_compromisos(compromisos, ell) != G.g_a_la(polinomio.evaluar(ell % 5 + 1))
    assert evaluar_compromisos(compromisos, 0) == compromisos[0]


def test_polinomio_repr_no_revela_coeficientes() -> None:
    polinomio = Polinomio.aleatorio(G, 3)
    texto = repr(polinomio) + str(polinomio)
    for a in polinomio.coeficientes:
        v = int(a)
        for forma in (str(v), format(v, "x"), format(v, "X"), str(v)[-8:], format(v, "x")[-8:]):
            assert forma not in texto
    assert "grado=2" in texto


@pytest.mark.parametrize(("n", "k"), [(5, 3), (4, 4), (3, 1), (6, 2)])
def test_cualquier_subconjunto_de_k_reconstruye(n: int, k: int) -> None:
    polinomio = Polinomio.aleatorio(G, k)
    secreto = int(polinomio.evaluar(0))
    for cuorum in itertools.combinations(range(1, n + 1), k):
        assert _reconstruir(polinomio, list(cuorum)) == secreto
    # También en el exponente: ∏ (g^P(i))^w_i = g^P(0).
    pesos = pesos_lagrange(G, list(range(1, k + 1)))
    producto = G.uno
    for i, w in pesos.items():
        producto = producto * (G.g_a_la(polinomio.evaluar(i)) ** w)
    assert producto == G.g_a_la(secreto)


@pytest.mark.parametrize(("n", "k"), [(5, 3), (4, 4), (6, 2)])
def test_k_menos_1_no_reconstruye(n: int, k: int) -> None:
    polinomio = Polinomio.aleatorio(G, k)
    secreto = int(polinomio.evaluar(0))
    for cuorum in itertools.combinations(range(1, n + 1), k - 1):
        assert _reconstruir(polinomio, list(cuorum)) != secreto


def test_pesos_lagrange_valores() -> None:
    pesos = pesos_lagrange(G, [1, 2, 3])
    # w_1 = 2·3/((2−1)(3−1)) = 3, w_2 = 1·3/((1−2)(3−2)) = −3, w_3 = 1·2/((1−3)(2−3)) = 1.
    assert {i: int(w) for i, w in pesos.items()} == {1: 3, 2: Q - 3, 3: 1}
    assert {i: int(w) for i, w in pesos_lagrange(G, [4]).items()} == {4: 1}
    suma = sum(int(w) for w in pesos_lagrange(G, [2, 5, 7, 11]).values()) % Q
    assert suma == 1  # Σ w_i = 1 (reconstrucción de un polinomio constante)
    pesos_2_4 = pesos_lagrange(G, [2, 4])
    assert int(pesos_2_4[2]) * (4 - 2) % Q == 4 and int(pesos_2_4[4]) * (2 - 4) % Q == 2


def test_pesos_lagrange_rechaza_repetidos() -> None:
    with pytest.raises(ValueError):
        pesos_lagrange(G, [1, 2, 2])


def test_polinomio_aleatorio_reproducible_con_semilla() -> None:
    with con_semilla(b"polinomio"):
        a = Polinomio.aleatorio(G, 3)
    with con_semilla(b"polinomio"):
        b = Polinomio.aleatorio(G, 3)
    assert a.coeficientes == b.coeficientes
    assert Polinomio.aleatorio(G, 3).coeficientes != a.coeficientes


@pytest.mark.parametrize("cuorum", [[0, 1, 2], [1, 2, 2], [1, int(GRUPO_ESTANDAR.q)], [-1, 3]])
def test_pesos_lagrange_rechaza_cuorum_invalido(cuorum: list[int]) -> None:
    with pytest.raises(ValueError):
        pesos_lagrange(GRUPO_ESTANDAR, cuorum)
