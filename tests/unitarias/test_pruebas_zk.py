"""Pruebas de conocimiento cero: Schnorr, rango 0..R, descifrado (Chaum–Pedersen) y firma.

Para cada una: la prueba honesta verifica y cualquier alteración (reto, respuesta, datos
públicos, índices) lanza ``ErrorVerificacion`` con el ``Motivo`` correcto.
"""

from __future__ import annotations

import pytest

from vmre_crypto.errores import ErrorVerificacion, Motivo
from vmre_crypto.primitivas.elgamal import Cifrado, cifrar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoP, ElementoQ
from vmre_crypto.primitivas.hash import H
from vmre_crypto.primitivas.parametros import hash_extendido, hash_parametros
from vmre_crypto.primitivas.pruebas_zk.descifrado import (
    PruebaDescifrado,
    reto_descifrado,
    verificar_descifrado,
    verificar_respuesta_parcial,
)
from vmre_crypto.primitivas.pruebas_zk.firma import FirmaSchnorr, firmar, verificar_firma
from vmre_crypto.primitivas.pruebas_zk.rango import PruebaRango, probar_rango, verificar_rango
from vmre_crypto.primitivas.pruebas_zk.schnorr import PruebaSchnorr, probar_schnorr, verificar_schnorr
from vmre_crypto.primitivas.shamir import Polinomio, pesos_lagrange
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR
H_P = hash_parametros(G)
UNO = ElementoQ(1, G)


@pytest.fixture(scope="module")
def eleccion() -> dict:
    """Llave de la elección K = g^s, H_E y una segunda llave para los casos de «llave equivocada»."""
    with con_semilla(b"test_pruebas_zk"):
        s = G.aleatorio_q()
        K = G.g_a_la(s)
        otra = G.g_a_la(G.aleatorio_q())
    h_b = H(bytes(32), b"h_b de prueba")
    return {"s": s, "K": K, "h_e": hash_extendido(h_b, K), "otra": otra, "h_e_otro": H(bytes(32), b"otro")}


def _falla(motivo: Motivo, funcion, *args, detalles: dict | None = None, **kwargs) -> ErrorVerificacion:
    with pytest.raises(ErrorVerificacion) as info:
        funcion(*args, **kwargs)
    assert info.value.motivo is motivo
    if detalles is not None:
        assert info.value.detalles == detalles
    return info.value


# ======================================================================================
# Schnorr (coeficientes del polinomio)
# ======================================================================================
@pytest.mark.parametrize("valor", [None, 0, 1, "q-1"])
def test_schnorr_honesta_verifica(valor) -> None:
    if valor is None:
        a = G.aleatorio_q()
    else:
        a = ElementoQ(int(G.q) - 1 if valor == "q-1" else valor, G)
    K_ij = G.g_a_la(a)
    for i, j in ((1, 0), (3, 2), (255, 7)):
        verificar_schnorr(H_P, i, j, K_ij, probar_schnorr(H_P, i, j, a, K_ij))


def test_schnorr_alterada_falla() -> None:
    a = G.aleatorio_q()
    K_ij = G.g_a_la(a)
    prueba = probar_schnorr(H_P, 2, 1, a, K_ij)
    detalles = {"custodio": 2, "coeficiente": 1}
    alteradas = [
        PruebaSchnorr(prueba.reto + 1, prueba.respuesta),
        PruebaSchnorr(prueba.reto, prueba.respuesta + 1),
        PruebaSchnorr(prueba.reto - 1, prueba.respuesta),
        PruebaSchnorr(prueba.respuesta, prueba.reto),
        PruebaSchnorr(ElementoQ(0, G), prueba.respuesta),
        PruebaSchnorr(prueba.reto, ElementoQ(0, G)),
    ]
    for mala in alteradas:
        _falla(Motivo.SCHNORR_INVALIDA, verificar_schnorr, H_P, 2, 1, K_ij, mala, detalles=detalles)


def test_schnorr_datos_publicos_equivocados() -> None:
    a = G.aleatorio_q()
    K_ij = G.g_a_la(a)
    prueba = probar_schnorr(H_P, 2, 1, a, K_ij)
    _falla(
        Motivo.SCHNORR_INVALIDA,
        verificar_schnorr,
        H_P,
        3,
        1,
        K_ij,
        prueba,
        detalles={"custodio": 3, "coeficiente": 1},
    )
    _falla(
        Motivo.SCHNORR_INVALIDA,
        verificar_schnorr,
        H_P,
        2,
        0,
        K_ij,
        prueba,
        detalles={"custodio": 2, "coeficiente": 0},
    )
    _falla(Motivo.SCHNORR_INVALIDA, verificar_schnorr, H_P, 2, 1, K_ij * G.generador, prueba)
    _falla(Motivo.SCHNORR_INVALIDA, verificar_schnorr, H(bytes(32), b"otro h_p"), 2, 1, K_ij, prueba)


def test_schnorr_sin_conocer_el_coeficiente_falla() -> None:
    a = G.aleatorio_q()
    K_ij = G.g_a_la(a)
    _falla(
        Motivo.SCHNORR_INVALIDA, verificar_schnorr, H_P, 1, 0, K_ij, probar_schnorr(H_P, 1, 0, a + 1, K_ij)
    )


# ======================================================================================
# Prueba de rango 0..R
# ======================================================================================
CASOS_RANGO = [(1, 0), (1, 1), (3, 0), (3, 1), (3, 2), (3, 3)]
DONDE = {"boleta": "b-1", "contienda": 2, "opcion": 5}


def _cifrado_y_prueba(eleccion: dict, valor: int, cota: int, xi: ElementoQ | None = None):
    xi = G.aleatorio_q() if xi is None else xi
    cifrado = cifrar(eleccion["K"], valor, xi)
    return cifrado, probar_rango(eleccion["h_e"], eleccion["K"], cifrado, xi, valor, cota)


@pytest.mark.parametrize(("cota", "valor"), CASOS_RANGO)
def test_rango_honesta_verifica(eleccion: dict, cota: int, valor: int) -> None:
    cifrado, prueba = _cifrado_y_prueba(eleccion, valor, cota)
    assert prueba.cota == cota
    assert len(prueba.retos) == len(prueba.respuestas) == cota + 1
    verificar_rango(eleccion["h_e"], eleccion["K"], cifrado, prueba, cota, **DONDE)


@pytest.mark.parametrize("xi", [0, 1, "q-1"])
def test_rango_con_nonces_extremos(eleccion: dict, xi) -> None:
    nonce = ElementoQ(int(G.q) - 1 if xi == "q-1" else xi, G)
    for valor in (0, 1):
        cifrado, prueba = _cifrado_y_prueba(eleccion, valor, 1, nonce)
        verificar_rango(eleccion["h_e"], eleccion["K"], cifrado, prueba, 1)


@pytest.mark.parametrize(("cota", "valor"), CASOS_RANGO)
def test_rango_cada_reto_y_respuesta_alterados_fallan(eleccion: dict, cota: int, valor: int) -> None:
    cifrado, prueba = _cifrado_y_prueba(eleccion, valor, cota)
    for j in range(cota + 1):
        retos = list(prueba.retos)
        retos[j] = retos[j] + 1
        mala = PruebaRango(tuple(retos), prueba.respuestas)
        _falla(
            Motivo.RANGO_INVALIDA,
            verificar_rango,
            eleccion["h_e"],
            eleccion["K"],
            cifrado,
            mala,
            cota,
            detalles=DONDE,
            **DONDE,
        )
        respuestas = list(prueba.respuestas)
        respuestas[j] = respuestas[j] + 1
        mala = PruebaRango(prueba.retos, tuple(respuestas))
        _falla(
            Motivo.RANGO_INVALIDA,
            verificar_rango,
            eleccion["h_e"],
            eleccion["K"],
            cifrado,
            mala,
            cota,
            detalles=DONDE,
            **DONDE,
        )


def test_rango_retos_compensados_fallan(eleccion: dict) -> None:
    """Mover una cantidad de un reto a otro conserva Σ c_j pero no los compromisos."""
    cifrado, prueba = _cifrado_y_prueba(eleccion, 1, 3)
    retos = list(prueba.retos)
    retos[0], retos[2] = retos[0] + 5, retos[2] - 5
    mala = PruebaRango(tuple(retos), prueba.respuestas)
    _falla(Motivo.RANGO_INVALIDA, verificar_rango, eleccion["h_e"], eleccion["K"], cifrado, mala, 3)
    invertida = PruebaRango(prueba.retos[::-1], prueba.respuestas[::-1])
    _falla(Motivo.RANGO_INVALIDA, verificar_rango, eleccion["h_e"], eleccion["K"], cifrado, invertida, 3)


def test_rango_datos_publicos_equivocados(eleccion: dict) -> None:
    K, h_e = eleccion["K"], eleccion["h_e"]
    cifrado, prueba = _cifrado_y_prueba(eleccion, 1, 1)
    otro_nonce = cifrar(K, 1, G.aleatorio_q())
    casos = [
        (h_e, K, otro_nonce),  # cifrado equivocado (mismo valor, otro nonce)
        (h_e, K, Cifrado(cifrado.beta, cifrado.alfa)),
        (h_e, K, Cifrado(cifrado.alfa, cifrado.beta * G.generador)),  # β alterado
        (h_e, eleccion["otra"], cifrado),  # llave equivocada
        (eleccion["h_e_otro"], K, cifrado),  # H_E equivocado
    ]
    for h, llave, c in casos:
        _falla(Motivo.RANGO_INVALIDA, verificar_rango, h, llave, c, prueba, 1)


def test_rango_cota_equivocada_falla(eleccion: dict) -> None:
    cifrado, prueba = _cifrado_y_prueba(eleccion, 1, 1)
    for cota in (0, 2, 3):
        _falla(
            Motivo.RANGO_INVALIDA,
            verificar_rango,
            eleccion["h_e"],
            eleccion["K"],
            cifrado,
            prueba,
            cota,
            detalles=DONDE,
            **DONDE,
        )
    desparejada = PruebaRango(prueba.retos, (*prueba.respuestas, UNO))
    _falla(Motivo.RANGO_INVALIDA, verificar_rango, eleccion["h_e"], eleccion["K"], cifrado, desparejada, 1)
    vacia = PruebaRango((), ())
    _falla(Motivo.RANGO_INVALIDA, verificar_rango, eleccion["h_e"], eleccion["K"], cifrado, vacia, 1)


def test_rango_no_se_puede_probar_un_valor_fuera_de_rango(eleccion: dict) -> None:
    K, h_e = eleccion["K"], eleccion["h_e"]
    xi = G.aleatorio_q()
    dos = cifrar(K, 2, xi)
    with pytest.raises(ValueError):
        probar_rango(h_e, K, dos, xi, 2, 1)
    with pytest.raises(ValueError):
        probar_rango(h_e, K, dos, xi, -1, 1)
    # Un probador que miente sobre ℓ produce una prueba que no verifica.
    for mentira in (0, 1):
        prueba = probar_rango(h_e, K, dos, xi, mentira, 1)
        _falla(Motivo.RANGO_INVALIDA, verificar_rango, h_e, K, dos, prueba, 1)
    cuatro = cifrar(K, 4, xi)
    for mentira in range(4):
        prueba = probar_rango(h_e, K, cuatro, xi, mentira, 3)
        _falla(Motivo.RANGO_INVALIDA, verificar_rango, h_e, K, cuatro, prueba, 3)


def test_rango_con_nonce_equivocado_falla(eleccion: dict) -> None:
    K, h_e = eleccion["K"], eleccion["h_e"]
    xi = G.aleatorio_q()
    cifrado = cifrar(K, 1, xi)
    prueba = probar_rango(h_e, K, cifrado, xi + 1, 1, 1)
    _falla(Motivo.RANGO_INVALIDA, verificar_rango, h_e, K, cifrado, prueba, 1)


# ======================================================================================
# Descifrado (Chaum–Pedersen)
# ======================================================================================
def _prueba_descifrado(eleccion: dict, cifrado: Cifrado, secreto: ElementoQ | None = None):
    s = eleccion["s"] if secreto is None else secreto
    m = cifrado.alfa**s
    u = G.aleatorio_q()
    a, b = G.g_a_la(u), cifrado.alfa**u
    c = reto_descifrado(eleccion["h_e"], eleccion["K"], cifrado, a, b, m)
    return m, PruebaDescifrado(c, u - c * s)


def test_descifrado_honesto_verifica(eleccion: dict) -> None:
    for valor in (0, 1, 9):
        cifrado = cifrar(eleccion["K"], valor, G.aleatorio_q())
        m, prueba = _prueba_descifrado(eleccion, cifrado)
        assert cifrado.beta / m == G.g_a_la(eleccion["s"] * valor)  # T = K^t
        verificar_descifrado(eleccion["h_e"], eleccion["K"], cifrado, m, prueba, contienda=1)


def test_descifrado_alterado_falla(eleccion: dict) -> None:
    K, h_e = eleccion["K"], eleccion["h_e"]
    cifrado = cifrar(K, 3, G.aleatorio_q())
    m, prueba = _prueba_descifrado(eleccion, cifrado)
    donde = {"contienda": 4, "opcion": 2}
    malas = [
        PruebaDescifrado(prueba.reto + 1, prueba.respuesta),
        PruebaDescifrado(prueba.reto, prueba.respuesta + 1),
        PruebaDescifrado(prueba.respuesta, prueba.reto),
    ]
    for mala in malas:
        _falla(
            Motivo.DESCIFRADO_INVALIDO,
            verificar_descifrado,
            h_e,
            K,
            cifrado,
            m,
            mala,
            detalles=donde,
            **donde,
        )
    otro = cifrar(K, 3, G.aleatorio_q())
    casos = [
        (h_e, K, cifrado, m * G.generador),  # M equivocado: el descifrado sería 3 ± 1
        (h_e, K, cifrado, m.inverso()),
        (h_e, K, Cifrado(cifrado.alfa, cifrado.beta * G.generador), m),  # B entra en el hash
        (h_e, K, otro, m),
        (h_e, eleccion["otra"], cifrado, m),
        (eleccion["h_e_otro"], K, cifrado, m),
    ]
    for h, llave, c, mm in casos:
        _falla(Motivo.DESCIFRADO_INVALIDO, verificar_descifrado, h, llave, c, mm, prueba)


def test_descifrado_con_secreto_equivocado_falla(eleccion: dict) -> None:
    cifrado = cifrar(eleccion["K"], 2, G.aleatorio_q())
    m, prueba = _prueba_descifrado(eleccion, cifrado, eleccion["s"] + 1)
    _falla(
        Motivo.DESCIFRADO_INVALIDO, verificar_descifrado, eleccion["h_e"], eleccion["K"], cifrado, m, prueba
    )


def test_descifrado_por_umbral_con_respuestas_parciales() -> None:
    """Cuórum {1, 3, 5} de 5 custodios (k = 3): nadie usa P(0) y la prueba conjunta verifica."""
    polinomio = Polinomio.aleatorio(G, 3)
    K = G.g_a_la(polinomio.evaluar(0))
    h_e = hash_extendido(H(bytes(32), b"umbral"), K)
    cifrado = cifrar(K, 6, G.aleatorio_q())
    A = cifrado.alfa
    cuorum = [1, 3, 5]
    pesos = pesos_lagrange(G, cuorum)
    partes = {i: polinomio.evaluar(i) for i in cuorum}
    llaves_verificacion = {i: G.g_a_la(partes[i]) for i in cuorum}
    m_i = {i: A.potencia_secreta(partes[i]) for i in cuorum}
    u_i = {i: G.aleatorio_q() for i in cuorum}
    a_i = {i: G.g_a_la(u_i[i]) for i in cuorum}
    b_i = {i: A ** u_i[i] for i in cuorum}

    def producto(elementos):
        total = G.uno
        for e in elementos:
            total = total * e
        return total

    M = producto(m_i[i] ** pesos[i] for i in cuorum)
    assert M == A ** polinomio.evaluar(0)
    a, b = producto(a_i.values()), producto(b_i.values())
    c = reto_descifrado(h_e, K, cifrado, a, b, M)
    c_i = {i: c * pesos[i] for i in cuorum}
    v_i = {i: u_i[i] - c_i[i] * partes[i] for i in cuorum}
    for i in cuorum:
        verificar_respuesta_parcial(
            llaves_verificacion[i], A, m_i[i], a_i[i], b_i[i], c_i[i], v_i[i], custodio=i
        )
    v = sum(v_i.values(), start=ElementoQ(0, G))
    verificar_descifrado(h_e, K, cifrado, M, PruebaDescifrado(c, v))
    assert cifrado.beta / M == K**6

    # Un custodio tramposo (M_3 alterado) es identificado por su respuesta parcial.
    detalles = {"custodio": 3}
    i = 3
    args = (llaves_verificacion[i], A, m_i[i], a_i[i], b_i[i], c_i[i], v_i[i])
    for k, alterado in (
        (0, llaves_verificacion[1]),
        (2, m_i[i] * G.generador),
        (3, a_i[i] * G.generador),
        (4, b_i[i] * G.generador),
        (5, c_i[i] + 1),
        (6, v_i[i] + 1),
    ):
        malos = list(args)
        malos[k] = alterado
        _falla(Motivo.DESCIFRADO_INVALIDO, verificar_respuesta_parcial, *malos, detalles=detalles, custodio=3)
    # Y la prueba conjunta con ese M_3 tampoco verifica.
    M_malo = producto((m_i[j] * G.generador if j == 3 else m_i[j]) ** pesos[j] for j in cuorum)
    _falla(Motivo.DESCIFRADO_INVALIDO, verificar_descifrado, h_e, K, cifrado, M_malo, PruebaDescifrado(c, v))


# ======================================================================================
# Firma de la credencial
# ======================================================================================
@pytest.fixture(scope="module")
def credencial() -> tuple[ElementoQ, ElementoP]:
    x = G.aleatorio_q()
    return x, G.g_a_la(x)


@pytest.mark.parametrize("mensaje", [b"", b"\x00", b"codigo de confirmacion", bytes(range(256)) * 4])
def test_firma_honesta_verifica(eleccion: dict, credencial, mensaje: bytes) -> None:
    x, X = credencial
    verificar_firma(eleccion["h_e"], X, mensaje, firmar(eleccion["h_e"], x, X, mensaje), elector="e-7")


def test_firma_alterada_falla(eleccion: dict, credencial) -> None:
    x, X = credencial
    h_e = eleccion["h_e"]
    mensaje = b"codigo"
    firma = firmar(h_e, x, X, mensaje)
    donde = {"elector": "e-7"}
    for mala in (
        FirmaSchnorr(firma.reto + 1, firma.respuesta),
        FirmaSchnorr(firma.reto, firma.respuesta + 1),
        FirmaSchnorr(firma.respuesta, firma.reto),
    ):
        _falla(
            Motivo.FIRMA_CREDENCIAL_INVALIDA, verificar_firma, h_e, X, mensaje, mala, detalles=donde, **donde
        )
    for h, llave, m in (
        (h_e, X, b"codigO"),
        (h_e, X, mensaje + b"\x00"),
        (h_e, X, mensaje[:-1]),
        (h_e, X, b""),
        (h_e, X * G.generador, mensaje),
        (h_e, eleccion["K"], mensaje),
        (eleccion["h_e_otro"], X, mensaje),
    ):
        _falla(Motivo.FIRMA_CREDENCIAL_INVALIDA, verificar_firma, h, llave, m, firma)


def test_firma_con_secreto_equivocado_falla(eleccion: dict, credencial) -> None:
    x, X = credencial
    firma = firmar(eleccion["h_e"], x + 1, X, b"m")
    _falla(Motivo.FIRMA_CREDENCIAL_INVALIDA, verificar_firma, eleccion["h_e"], X, b"m", firma)


def test_firma_no_es_intercambiable_con_schnorr_de_coeficiente(eleccion: dict, credencial) -> None:
    """Separación de dominio: una prueba de coeficiente (0x10) no es una firma (0x50) ni al revés."""
    x, X = credencial
    prueba = probar_schnorr(eleccion["h_e"], 1, 0, x, X)
    _falla(
        Motivo.FIRMA_CREDENCIAL_INVALIDA,
        verificar_firma,
        eleccion["h_e"],
        X,
        b"",
        FirmaSchnorr(prueba.reto, prueba.respuesta),
    )
    firma = firmar(H_P, x, X, b"")
    _falla(
        Motivo.SCHNORR_INVALIDA, verificar_schnorr, H_P, 1, 0, X, PruebaSchnorr(firma.reto, firma.respuesta)
    )


def test_firma_aleatorizada_y_reproducible_con_semilla(eleccion: dict, credencial) -> None:
    x, X = credencial
    h_e = eleccion["h_e"]
    assert firmar(h_e, x, X, b"m").reto != firmar(h_e, x, X, b"m").reto
    with con_semilla(b"firma"):
        f1 = firmar(h_e, x, X, b"m")
    with con_semilla(b"firma"):
        f2 = firmar(h_e, x, X, b"m")
    assert f1 == f2
