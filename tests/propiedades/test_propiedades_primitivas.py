"""Propiedades (hypothesis) de las primitivas: ElGamal, pruebas de rango y Shamir/Lagrange.

Todo el azar interno de la biblioteca se fija con ``con_semilla`` a partir de una semilla
que elige hypothesis, de modo que cualquier contraejemplo se reproduce exactamente.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vmre_crypto.errores import ErrorVerificacion, Motivo
from vmre_crypto.primitivas.elgamal import agregar, cifrar, descifrar_con_secreto
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoQ
from vmre_crypto.primitivas.hash import H
from vmre_crypto.primitivas.parametros import hash_extendido
from vmre_crypto.primitivas.pruebas_zk.rango import PruebaRango, probar_rango, verificar_rango
from vmre_crypto.primitivas.shamir import Polinomio, pesos_lagrange
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
Q = int(G.q)

# Una sola llave de elección para todo el módulo: la tabla de base fija de K se construye
# una vez (cada llave nueva costaría una tabla de ~4 MB en la caché del grupo).
with con_semilla(b"propiedades/llave"):
    S = G.aleatorio_q()
K = G.g_a_la(S)
H_E = hash_extendido(H(bytes(32), b"propiedades"), K)

AJUSTES = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: Valores de Z_q sesgados hacia los bordes: 0, 1, q − 1 (y q − 2) o uniformes.
valores_q = st.one_of(st.sampled_from([0, 1, Q - 2, Q - 1]), st.integers(0, Q - 1))
elementos_q = valores_q.map(lambda v: ElementoQ(v, G))
semillas = st.binary(min_size=1, max_size=16)


# -- ElGamal -----------------------------------------------------------------------------
@settings(AJUSTES, max_examples=60)
@given(sigma=st.integers(0, 50), xi=elementos_q)
def test_descifrar_cifrar_es_identidad(sigma: int, xi: ElementoQ) -> None:
    assert descifrar_con_secreto(cifrar(K, sigma, xi), S, 50) == sigma


@settings(AJUSTES, max_examples=50)
@given(votos=st.lists(st.tuples(st.integers(0, 10), elementos_q), min_size=1, max_size=5))
def test_homomorfismo(votos: list[tuple[int, ElementoQ]]) -> None:
    cifrados = [cifrar(K, sigma, xi) for sigma, xi in votos]
    producto = cifrados[0]
    for c in cifrados[1:]:
        producto = producto * c
    assert producto == agregar(G, cifrados)
    esperado = sum(sigma for sigma, _ in votos)
    assert descifrar_con_secreto(producto, S, 50) == esperado
    # El producto es exactamente el cifrado de la suma con la suma de los nonces.
    assert producto == cifrar(K, esperado, sum((xi for _, xi in votos), start=ElementoQ(0, G)))


# -- pruebas de rango ------------------------------------------------------------------------
@st.composite
def casos_de_rango(draw) -> tuple[int, int, ElementoQ, bytes]:
    cota = draw(st.integers(1, 4))
    valor = draw(st.integers(0, cota))
    return cota, valor, draw(elementos_q), draw(semillas)


@settings(AJUSTES, max_examples=50)
@given(caso=casos_de_rango())
def test_rango_honesta_verifica_para_todo_valor(caso) -> None:
    cota, valor, xi, semilla = caso
    cifrado = cifrar(K, valor, xi)
    with con_semilla(semilla):
        prueba = probar_rango(H_E, K, cifrado, xi, valor, cota)
    verificar_rango(H_E, K, cifrado, prueba, cota)


@settings(AJUSTES, max_examples=50)
@given(caso=casos_de_rango(), datos=st.data())
def test_rango_un_reto_o_respuesta_alterado_falla(caso, datos) -> None:
    cota, valor, xi, semilla = caso
    cifrado = cifrar(K, valor, xi)
    with con_semilla(semilla):
        prueba = probar_rango(H_E, K, cifrado, xi, valor, cota)
    j = datos.draw(st.integers(0, cota), label="indice")
    campo = datos.draw(st.sampled_from(["retos", "respuestas"]), label="campo")
    delta = datos.draw(st.one_of(st.sampled_from([1, Q - 1]), st.integers(1, Q - 1)), label="delta")
    retos, respuestas = list(prueba.retos), list(prueba.respuestas)
    lista = retos if campo == "retos" else respuestas
    lista[j] = lista[j] + delta
    with pytest.raises(ErrorVerificacion) as info:
        verificar_rango(H_E, K, cifrado, PruebaRango(tuple(retos), tuple(respuestas)), cota)
    assert info.value.motivo is Motivo.RANGO_INVALIDA


@settings(AJUSTES, max_examples=30)
@given(cota=st.integers(1, 4), exceso=st.integers(1, 3), xi=elementos_q, semilla=semillas, datos=st.data())
def test_rango_valor_fuera_de_rango_no_verifica(cota, exceso, xi, semilla, datos) -> None:
    """Un cifrado de R + e con una prueba que afirma cualquier ℓ ≤ R no verifica."""
    fuera = cota + exceso
    mentira = datos.draw(st.integers(0, cota), label="mentira")
    cifrado = cifrar(K, fuera, xi)
    with con_semilla(semilla):
        prueba = probar_rango(H_E, K, cifrado, xi, mentira, cota)
    with pytest.raises(ErrorVerificacion) as info:
        verificar_rango(H_E, K, cifrado, prueba, cota)
    assert info.value.motivo is Motivo.RANGO_INVALIDA


# -- Shamir y Lagrange -----------------------------------------------------------------------
@st.composite
def comparticiones(draw) -> tuple[int, int, list[ElementoQ], list[int]]:
    n = draw(st.integers(1, 7))
    k = draw(st.integers(1, n))
    coeficientes = draw(st.lists(elementos_q, min_size=k, max_size=k))
    cuorum = draw(st.lists(st.integers(1, n), min_size=k, max_size=k, unique=True))
    return n, k, coeficientes, cuorum


def _reconstruir(polinomio: Polinomio, cuorum: list[int]) -> int:
    pesos = pesos_lagrange(G, cuorum)
    return sum(int(pesos[i]) * int(polinomio.evaluar(i)) for i in cuorum) % Q


@settings(max_examples=100, deadline=None, database=None)
@given(caso=comparticiones())
def test_k_partes_reconstruyen_y_k_menos_1_no(caso) -> None:
    _n, k, coeficientes, cuorum = caso
    polinomio = Polinomio(tuple(coeficientes))
    secreto = int(coeficientes[0])
    assert _reconstruir(polinomio, cuorum) == secreto
    if k >= 2:
        # Con k − 1 partes la interpolación da el término constante de otro polinomio de
        # grado k − 2; coincide con P(0) solo si a_(k−1)·∏(−i) ≡ 0, es decir a_(k−1) = 0.
        assume(int(coeficientes[-1]) != 0)
        assert _reconstruir(polinomio, cuorum[:-1]) != secreto


@settings(max_examples=60, deadline=None, database=None)
@given(cuorum=st.lists(st.integers(1, 2**16), min_size=1, max_size=8, unique=True))
def test_pesos_lagrange_suman_uno_y_reconstruyen_lineales(cuorum: list[int]) -> None:
    pesos = pesos_lagrange(G, cuorum)
    assert set(pesos) == set(cuorum)
    assert sum(int(w) for w in pesos.values()) % Q == 1
    if len(cuorum) >= 2:
        # P(x) = 7 + 3x: Σ w_i·P(i) = 7.
        assert sum(int(pesos[i]) * (7 + 3 * i) for i in cuorum) % Q == 7
