"""Vectores de las primitivas generados con semilla fija y comprobados por ``ingenua.py``.

La biblioteca produce cifrados, pruebas de rango, de Schnorr, de descifrado y firmas bajo
``con_semilla``; la implementación ingenua (sin código compartido) los recalcula o los
verifica.  Además: determinismo (misma semilla, mismos bytes), semillas distintas dan
vectores distintos y el archivo guardado ``datos/vectores_primitivas.json`` coincide con
la regeneración.
"""

from __future__ import annotations

import ast
import json

import generar_vectores_primitivas as gen
import ingenua
import pytest

from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.testing.azar import con_semilla


def _i(x: str) -> int:
    return int(x, 16)


@pytest.fixture(scope="module")
def vectores() -> dict:
    return gen.generar()


@pytest.fixture(scope="module")
def guardados() -> dict:
    return json.loads(gen.ARCHIVO.read_text(encoding="utf-8"))


# -- la implementación ingenua es independiente y no es trivial ---------------------------
def test_ingenua_no_importa_la_biblioteca() -> None:
    arbol = ast.parse(open(ingenua.__file__, encoding="utf-8").read())
    modulos = set()
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.Import):
            modulos.update(alias.name for alias in nodo.names)
        elif isinstance(nodo, ast.ImportFrom):
            modulos.add(nodo.module)
    assert modulos == {"__future__", "hashlib", "hmac", "json", "pathlib"}


def test_ingenua_constantes_coinciden_con_el_grupo() -> None:
    assert (ingenua.P, ingenua.Q, ingenua.G) == (
        int(GRUPO_ESTANDAR.p),
        int(GRUPO_ESTANDAR.q),
        int(GRUPO_ESTANDAR.g),
    )


def test_ingenua_b_y_hash() -> None:
    assert ingenua.b(0x0102, 4) == b"\x00\x00\x01\x02"
    assert ingenua.b(ingenua.P - 1, 512)[-1] == (ingenua.P - 1) & 0xFF
    with pytest.raises(AssertionError):
        ingenua.b(256, 1)
    with pytest.raises(AssertionError):
        ingenua.H(bytes(31), b"")


# -- cada tipo de vector, verificado por la implementación ingenua -------------------------
def test_hashes_y_llave(vectores: dict) -> None:
    assert _i(vectores["h_p"]).to_bytes(32, "big") == ingenua.hash_parametros()
    K = _i(vectores["K"])
    assert K == pow(ingenua.G, _i(vectores["s"]), ingenua.P)
    h_b = bytes.fromhex(vectores["h_b"])
    assert bytes.fromhex(vectores["h_e"]) == ingenua.hash_extendido(h_b, K)


def test_cifrados(vectores: dict) -> None:
    K = _i(vectores["K"])
    s = _i(vectores["s"])
    assert len(vectores["cifrados"]) == 4
    for v in vectores["cifrados"]:
        alfa, beta = _i(v["alfa"]), _i(v["beta"])
        assert (alfa, beta) == ingenua.cifrar(K, v["sigma"], _i(v["xi"]))
        assert ingenua.descifrar(alfa, beta, s, 10) == v["sigma"]


def test_pruebas_de_rango(vectores: dict) -> None:
    K = _i(vectores["K"])
    h_e = bytes.fromhex(vectores["h_e"])
    assert sorted((v["cota"], v["valor"]) for v in vectores["rango"]) == [
        (1, 0),
        (1, 1),
        (3, 0),
        (3, 1),
        (3, 2),
        (3, 3),
    ]
    for v in vectores["rango"]:
        alfa, beta = _i(v["alfa"]), _i(v["beta"])
        assert (alfa, beta) == ingenua.cifrar(K, v["valor"], _i(v["xi"]))
        retos = [_i(c) for c in v["retos"]]
        respuestas = [_i(r) for r in v["respuestas"]]
        assert len(retos) == len(respuestas) == v["cota"] + 1
        assert ingenua.verificar_rango(h_e, K, alfa, beta, retos, respuestas)


def test_prueba_de_rango_alterada_la_rechaza_ingenua(vectores: dict) -> None:
    """Control de la implementación ingenua: no acepta cualquier cosa."""
    K = _i(vectores["K"])
    h_e = bytes.fromhex(vectores["h_e"])
    v = next(x for x in vectores["rango"] if x["cota"] == 3)
    alfa, beta = _i(v["alfa"]), _i(v["beta"])
    retos = [_i(c) for c in v["retos"]]
    respuestas = [_i(r) for r in v["respuestas"]]
    for j in range(len(retos)):
        malos = list(retos)
        malos[j] = (malos[j] + 1) % ingenua.Q
        assert not ingenua.verificar_rango(h_e, K, alfa, beta, malos, respuestas)
    malas = list(respuestas)
    malas[2] = (malas[2] + 1) % ingenua.Q
    assert not ingenua.verificar_rango(h_e, K, alfa, beta, retos, malas)
    assert not ingenua.verificar_rango(h_e, K, beta, alfa, retos, respuestas)


def test_pruebas_de_schnorr(vectores: dict) -> None:
    h_p = bytes.fromhex(vectores["h_p"])
    assert len(vectores["schnorr"]) == 6
    for v in vectores["schnorr"]:
        K_ij = _i(v["compromiso"])
        assert K_ij == pow(ingenua.G, _i(v["coeficiente"]), ingenua.P)
        c, r = _i(v["reto"]), _i(v["respuesta"])
        assert ingenua.verificar_schnorr(h_p, v["i"], v["j"], K_ij, c, r)
        assert not ingenua.verificar_schnorr(h_p, v["i"], v["j"] + 1, K_ij, c, r)
        assert not ingenua.verificar_schnorr(h_p, v["i"], v["j"], K_ij, c, (r + 1) % ingenua.Q)


def test_pruebas_de_descifrado(vectores: dict) -> None:
    K = _i(vectores["K"])
    s = _i(vectores["s"])
    h_e = bytes.fromhex(vectores["h_e"])
    assert len(vectores["descifrado"]) == 3
    for v in vectores["descifrado"]:
        A, B, M = _i(v["alfa"]), _i(v["beta"]), _i(v["M"])
        assert M == pow(A, s, ingenua.P)
        assert ingenua.descifrar(A, B, s, 10) == v["valor"]
        c, r = _i(v["reto"]), _i(v["respuesta"])
        assert ingenua.verificar_descifrado(h_e, K, A, B, M, c, r)
        assert not ingenua.verificar_descifrado(h_e, K, A, B, M * ingenua.G % ingenua.P, c, r)


def test_firmas(vectores: dict) -> None:
    h_e = bytes.fromhex(vectores["h_e"])
    assert len(vectores["firmas"]) == 3
    for v in vectores["firmas"]:
        X = _i(v["X"])
        assert X == pow(ingenua.G, _i(v["x"]), ingenua.P)
        mensaje = bytes.fromhex(v["mensaje"])
        c, r = _i(v["reto"]), _i(v["respuesta"])
        assert ingenua.verificar_firma(h_e, X, mensaje, c, r)
        assert not ingenua.verificar_firma(h_e, X, mensaje + b"\x00", c, r)


def test_feldman_y_polinomios(vectores: dict) -> None:
    for v in vectores["feldman"]:
        coeficientes = [_i(a) for a in v["coeficientes"]]
        compromisos = [_i(k) for k in v["compromisos"]]
        assert compromisos == [pow(ingenua.G, a, ingenua.P) for a in coeficientes]
        for x, valor in v["valores"].items():
            assert _i(valor) == ingenua.evaluar_polinomio(coeficientes, int(x))
            assert _i(v["compromisos_evaluados"][x]) == ingenua.evaluar_feldman(compromisos, int(x))
            assert _i(v["compromisos_evaluados"][x]) == pow(ingenua.G, _i(valor), ingenua.P)


def test_pesos_lagrange(vectores: dict) -> None:
    for v in vectores["lagrange"]:
        esperados = ingenua.pesos_lagrange(v["cuorum"])
        assert {int(i): _i(w) for i, w in v["pesos"].items()} == esperados
    # Con un polinomio de los vectores: Σ w_i·P(i) = P(0) para el cuórum {1, 2, 3}.
    coeficientes = [_i(a) for a in vectores["feldman"][0]["coeficientes"]]
    pesos = {int(i): _i(w) for i, w in vectores["lagrange"][0]["pesos"].items()}
    suma = sum(w * ingenua.evaluar_polinomio(coeficientes, i) for i, w in pesos.items()) % ingenua.Q
    assert suma == coeficientes[0]


# -- determinismo y archivo guardado ----------------------------------------------------
def test_misma_semilla_mismos_bytes(vectores: dict) -> None:
    assert gen.serializar(gen.generar()) == gen.serializar(vectores)


def test_semillas_distintas_dan_vectores_distintos(vectores: dict) -> None:
    otros = gen.generar(b"otra semilla")
    assert otros["s"] != vectores["s"]
    assert otros["K"] != vectores["K"]
    assert [c["xi"] for c in otros["cifrados"]] != [c["xi"] for c in vectores["cifrados"]]
    assert otros["firmas"][0]["reto"] != vectores["firmas"][0]["reto"]


def test_con_semilla_restaura_el_azar_real() -> None:
    with con_semilla(b"x"):
        dentro = GRUPO_ESTANDAR.aleatorio_q()
    with con_semilla(b"x"):
        assert GRUPO_ESTANDAR.aleatorio_q() == dentro
    # Fuera del contexto el azar vuelve a ser de ``secrets``: dos extracciones difieren
    # de la determinista (probabilidad de coincidencia ≈ 2^-256).
    assert GRUPO_ESTANDAR.aleatorio_q() != dentro
    assert GRUPO_ESTANDAR.aleatorio_q() != GRUPO_ESTANDAR.aleatorio_q()


def test_archivo_guardado_coincide_con_la_regeneracion(vectores: dict, guardados: dict) -> None:
    assert gen.serializar(vectores) == gen.ARCHIVO.read_text(encoding="utf-8")
    assert guardados == vectores


def test_archivo_guardado_verifica_con_ingenua(guardados: dict) -> None:
    """Reverificación independiente del archivo guardado (no de la regeneración)."""
    K = _i(guardados["K"])
    h_e = bytes.fromhex(guardados["h_e"])
    h_p = bytes.fromhex(guardados["h_p"])
    assert h_p == ingenua.hash_parametros()
    for v in guardados["cifrados"]:
        assert (_i(v["alfa"]), _i(v["beta"])) == ingenua.cifrar(K, v["sigma"], _i(v["xi"]))
    for v in guardados["rango"]:
        assert ingenua.verificar_rango(
            h_e,
            K,
            _i(v["alfa"]),
            _i(v["beta"]),
            [_i(c) for c in v["retos"]],
            [_i(r) for r in v["respuestas"]],
        )
    for v in guardados["schnorr"]:
        assert ingenua.verificar_schnorr(h_p, v["i"], v["j"], _i(v["compromiso"]), _i(v["reto"]), _i(v["respuesta"]))
    for v in guardados["descifrado"]:
        assert ingenua.verificar_descifrado(
            h_e, K, _i(v["alfa"]), _i(v["beta"]), _i(v["M"]), _i(v["reto"]), _i(v["respuesta"])
        )
    for v in guardados["firmas"]:
        assert ingenua.verificar_firma(h_e, _i(v["X"]), bytes.fromhex(v["mensaje"]), _i(v["reto"]), _i(v["respuesta"]))
