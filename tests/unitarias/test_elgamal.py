"""ElGamal exponencial: cifrado, agregación homomórfica y descifrado con el secreto completo."""

from __future__ import annotations

import secrets

import pytest

from vmre_crypto.errores import ErrorDescifrado, Motivo
from vmre_crypto.primitivas.elgamal import Cifrado, agregar, cifrar, descifrar_con_secreto, potencia_de_llave
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoQ

G = GRUPO_ESTANDAR
P, Q, GEN = int(G.p), int(G.q), int(G.g)


@pytest.fixture(scope="module")
def par() -> tuple[ElementoQ, object]:
    s = G.aleatorio_q()
    return s, G.g_a_la(s)


@pytest.mark.parametrize("sigma", [0, 1, 2, 10])
def test_cifrar_es_g_xi_y_k_sigma_mas_xi(par, sigma: int) -> None:
    _, K = par
    for xi_valor in (0, 1, Q - 1, secrets.randbelow(Q)):
        c = cifrar(K, sigma, ElementoQ(xi_valor, G))
        assert int(c.alfa) == pow(GEN, xi_valor, P)
        assert int(c.beta) == pow(int(K), sigma + xi_valor, P)


def test_potencia_de_llave(par) -> None:
    _, K = par
    for e in (0, 1, Q - 1, Q, secrets.randbelow(Q)):
        assert int(potencia_de_llave(K, e)) == pow(int(K), e, P)
    assert int(potencia_de_llave(K, ElementoQ(5, G))) == pow(int(K), 5, P)


def test_nonces_distintos_dan_cifrados_distintos(par) -> None:
    _, K = par
    a = cifrar(K, 1, G.aleatorio_q())
    b = cifrar(K, 1, G.aleatorio_q())
    assert a.alfa != b.alfa and a.beta != b.beta


def test_producto_de_cifrados(par) -> None:
    _, K = par
    x1, x2 = G.aleatorio_q(), G.aleatorio_q()
    c1, c2 = cifrar(K, 2, x1), cifrar(K, 3, x2)
    producto = c1 * c2
    assert int(producto.alfa) == int(c1.alfa) * int(c2.alfa) % P
    assert int(producto.beta) == int(c1.beta) * int(c2.beta) % P
    assert producto == cifrar(K, 5, x1 + x2)


def test_agregar(par) -> None:
    s, K = par
    nonces = [G.aleatorio_q() for _ in range(4)]
    votos = [0, 1, 1, 3]
    cifrados = [cifrar(K, v, x) for v, x in zip(votos, nonces, strict=True)]
    total = agregar(G, cifrados)
    assert total == cifrar(K, sum(votos), sum(nonces, start=ElementoQ(0, G)))
    assert descifrar_con_secreto(total, s, 10) == 5
    vacio = agregar(G, [])
    assert (int(vacio.alfa), int(vacio.beta)) == (1, 1)
    assert agregar(G, iter(cifrados[:1])) == cifrados[0]


@pytest.mark.parametrize("sigma", [0, 1, 7, 100])
def test_descifrar_con_secreto(par, sigma: int) -> None:
    s, K = par
    c = cifrar(K, sigma, G.aleatorio_q())
    assert descifrar_con_secreto(c, s, 100) == sigma


def test_descifrar_con_otro_secreto_o_fuera_de_cota(par) -> None:
    s, K = par
    c = cifrar(K, 4, G.aleatorio_q())
    with pytest.raises(ErrorDescifrado) as e:
        descifrar_con_secreto(c, s, 3)
    assert e.value.motivo is Motivo.LOGARITMO_FUERA_DE_COTA
    with pytest.raises(ErrorDescifrado) as e:
        descifrar_con_secreto(c, s + 1, 1000)
    assert e.value.motivo is Motivo.LOGARITMO_FUERA_DE_COTA


def test_cifrado_es_inmutable(par) -> None:
    _, K = par
    c = cifrar(K, 0, G.aleatorio_q())
    with pytest.raises(AttributeError):
        c.alfa = K  # type: ignore[misc]
    assert isinstance(c, Cifrado)
