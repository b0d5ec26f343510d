"""Respuestas conocidas: artefactos públicos de la implementación de referencia de EG 2.0.

Los archivos de ``datos/eg20`` son copia literal de ``example_artifacts/public`` del
repositorio microsoft/electionguard-rust.  Todo se comprueba a través de la API pública
de la biblioteca; ``ingenua`` repite los hashes como segundo cálculo independiente.
"""

from __future__ import annotations

import json
from pathlib import Path

import gmpy2
import ingenua
import pytest

from vmre_crypto.errores import ErrorVerificacion, Motivo
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoP, ElementoQ
from vmre_crypto.primitivas.parametros import hash_base, hash_extendido, hash_manifiesto, hash_parametros
from vmre_crypto.primitivas.pruebas_zk.schnorr import PruebaSchnorr, verificar_schnorr

DATOS = Path(__file__).parent / "datos" / "eg20"
G = GRUPO_ESTANDAR
CUSTODIOS = range(1, 6)


def _json(nombre: str) -> dict:
    return json.loads((DATOS / nombre).read_text(encoding="utf-8"))


PARAMETROS = _json("election_parameters.json")
HASHES = {k: bytes.fromhex(v) for k, v in {**_json("hashes.json"), **_json("hashes_ext.json")}.items()}
MANIFIESTO = (DATOS / "election_manifest_canonical.bin").read_bytes()
LLAVES = {i: _json(f"guardian_{i}.public_key.json") for i in CUSTODIOS}
LLAVE_CONJUNTA = int(_json("joint_election_public_key.json")["joint_election_public_key"], 16)


def _hash_base_artefactos(h_p: bytes, h_m: bytes) -> bytes:
    v = PARAMETROS["varying_parameters"]
    return hash_base(h_p, v["n"], v["k"], v["date"], v["info"], h_m)


def _compromisos(i: int) -> list[ElementoP]:
    return G.elementos_p([int(x, 16) for x in LLAVES[i]["coefficient_commitments"]], campo="compromiso")


def _prueba(i: int, j: int, *, reto: int | None = None, respuesta: int | None = None) -> PruebaSchnorr:
    datos = LLAVES[i]["coefficient_proofs"][j]
    c = int(datos["challenge"], 16) if reto is None else reto
    v = int(datos["response"], 16) if respuesta is None else respuesta
    return PruebaSchnorr(ElementoQ(c, G), ElementoQ(v, G))


# -- parámetros del grupo ----------------------------------------------------------------
def test_p_q_g_iguales_a_los_del_artefacto() -> None:
    grupo = PARAMETROS["fixed_parameters"]["group"]
    assert int(G.p) == int(grupo["p"], 16)
    assert int(G.q) == int(grupo["q"], 16)
    assert int(G.g) == int(grupo["g"], 16)
    assert int(PARAMETROS["fixed_parameters"]["field"]["q"], 16) == int(G.q)


def test_estructura_del_grupo() -> None:
    p, q, g = int(G.p), int(G.q), int(G.g)
    assert q == 2**256 - 189
    assert p.bit_length() == 4096
    assert (p - 1) % q == 0
    assert gmpy2.is_prime(q)
    assert gmpy2.is_prime(p)
    assert ((p - 1) // q) % 2 == 0
    assert gmpy2.is_prime((p - 1) // (2 * q))
    assert int(G.r) == (p - 1) // q
    assert g == pow(2, (p - 1) // q, p)
    assert g != 1
    assert pow(g, q, p) == 1


# -- hashes H_P, H_M, H_B, H_E -----------------------------------------------------------
def test_hash_parametros() -> None:
    assert hash_parametros(G) == HASHES["h_p"]
    assert HASHES["h_p"].hex().upper() == "2B3B025E50E09C119CBA7E9448ACD1CABC9447EF39BF06327D81C665CDD86296"


def test_hash_manifiesto() -> None:
    assert hash_manifiesto(HASHES["h_p"], MANIFIESTO) == HASHES["h_m"]


def test_hash_base() -> None:
    v = PARAMETROS["varying_parameters"]
    assert (v["n"], v["k"], v["date"]) == (5, 3, "2024-09-30")
    assert v["info"] == "The United Realms of Imaginaria General Election 2024"
    assert _hash_base_artefactos(HASHES["h_p"], HASHES["h_m"]) == HASHES["h_b"]


@pytest.mark.parametrize(
    "cambio",
    [
        {"n": 4},
        {"k": 2},
        {"date": "2024-09-31"},
        {"info": "The United Realms of Imaginaria General Election 2025"},
    ],
)
def test_hash_base_depende_de_cada_parametro(cambio: dict) -> None:
    v = {**PARAMETROS["varying_parameters"], **cambio}
    assert hash_base(HASHES["h_p"], v["n"], v["k"], v["date"], v["info"], HASHES["h_m"]) != HASHES["h_b"]


@pytest.mark.parametrize("posicion", [0, 1, len(MANIFIESTO) // 2, len(MANIFIESTO) - 1])
def test_un_byte_cambiado_del_manifiesto_cambia_h_m(posicion: int) -> None:
    alterado = bytearray(MANIFIESTO)
    alterado[posicion] ^= 0x01
    h_m = hash_manifiesto(HASHES["h_p"], bytes(alterado))
    assert h_m != HASHES["h_m"]
    assert _hash_base_artefactos(HASHES["h_p"], h_m) != HASHES["h_b"]


def test_manifiesto_truncado_o_extendido_cambia_h_m() -> None:
    assert hash_manifiesto(HASHES["h_p"], MANIFIESTO[:-1]) != HASHES["h_m"]
    assert hash_manifiesto(HASHES["h_p"], MANIFIESTO + b"\x00") != HASHES["h_m"]


def test_llave_conjunta_y_hash_extendido() -> None:
    producto = G.uno
    for i in CUSTODIOS:
        producto = producto * _compromisos(i)[0]
    assert int(producto) == LLAVE_CONJUNTA
    llave = ElementoP(LLAVE_CONJUNTA, G)
    assert hash_extendido(HASHES["h_b"], llave) == HASHES["h_e"]
    # Con otra llave (sin un custodio) H_E cambia.
    parcial = ElementoP(int(producto / _compromisos(5)[0]), G)
    assert hash_extendido(HASHES["h_b"], parcial) != HASHES["h_e"]


def test_ingenua_reproduce_los_hashes() -> None:
    """Segundo cálculo independiente (sin la biblioteca) de H_P, H_M, H_B y H_E."""
    v = PARAMETROS["varying_parameters"]
    h_p = ingenua.hash_parametros()
    h_m = ingenua.hash_manifiesto(h_p, MANIFIESTO)
    h_b = ingenua.hash_base(h_p, v["n"], v["k"], v["date"], v["info"], h_m)
    assert (h_p, h_m, h_b) == (HASHES["h_p"], HASHES["h_m"], HASHES["h_b"])
    assert ingenua.hash_extendido(h_b, LLAVE_CONJUNTA) == HASHES["h_e"]


# -- llaves públicas de los custodios y pruebas de Schnorr ----------------------------------
@pytest.mark.parametrize("i", CUSTODIOS)
def test_compromisos_decodifican_y_pruebas_verifican(i: int) -> None:
    assert LLAVES[i]["i"] == i
    compromisos = _compromisos(i)
    assert len(compromisos) == PARAMETROS["varying_parameters"]["k"] == 3
    assert len(LLAVES[i]["coefficient_proofs"]) == 3
    for j, K_ij in enumerate(compromisos):
        verificar_schnorr(HASHES["h_p"], i, j, K_ij, _prueba(i, j))


def test_ingenua_verifica_las_pruebas_de_los_artefactos() -> None:
    for i in (1, 5):
        for j, (K_ij, prueba) in enumerate(
            zip(LLAVES[i]["coefficient_commitments"], LLAVES[i]["coefficient_proofs"], strict=True)
        ):
            c, v = int(prueba["challenge"], 16), int(prueba["response"], 16)
            assert ingenua.verificar_schnorr(HASHES["h_p"], i, j, int(K_ij, 16), c, v)
            assert not ingenua.verificar_schnorr(HASHES["h_p"], i, j + 1, int(K_ij, 16), c, v)


def _bit(i: int, j: int, campo: str) -> int:
    """Un bit distinto para cada caso, repartido por los 256 bits."""
    return (97 * i + 41 * j + (0 if campo == "reto" else 13)) % 256


def _esperar_schnorr_invalida(i: int, j: int, compromiso: ElementoP, prueba: PruebaSchnorr, h_p: bytes) -> None:
    with pytest.raises(ErrorVerificacion) as info:
        verificar_schnorr(h_p, i, j, compromiso, prueba)
    assert info.value.motivo is Motivo.SCHNORR_INVALIDA
    assert info.value.detalles == {"custodio": i, "coeficiente": j}


@pytest.mark.parametrize("campo", ["reto", "respuesta"])
@pytest.mark.parametrize("j", range(3))
@pytest.mark.parametrize("i", CUSTODIOS)
def test_un_bit_cambiado_en_una_prueba_la_invalida(i: int, j: int, campo: str) -> None:
    datos = LLAVES[i]["coefficient_proofs"][j]
    original = int(datos["challenge" if campo == "reto" else "response"], 16)
    for bit in (0, _bit(i, j, campo)):
        alterado = original ^ (1 << bit)
        assert alterado < int(G.q)
        prueba = _prueba(i, j, **{campo: alterado})
        _esperar_schnorr_invalida(i, j, _compromisos(i)[j], prueba, HASHES["h_p"])


@pytest.mark.parametrize("i", CUSTODIOS)
def test_indices_equivocados_invalidan(i: int) -> None:
    compromisos = _compromisos(i)
    otro_i = i % 5 + 1
    for j in range(3):
        _esperar_schnorr_invalida(otro_i, j, compromisos[j], _prueba(i, j), HASHES["h_p"])
        _esperar_schnorr_invalida(i, (j + 1) % 3, compromisos[j], _prueba(i, j), HASHES["h_p"])
        # j contado desde 1 (la otra lectura posible del texto) tampoco verifica.
        _esperar_schnorr_invalida(i, j + 1, compromisos[j], _prueba(i, j), HASHES["h_p"])


def test_prueba_de_otro_custodio_o_con_otro_h_p_invalida() -> None:
    _esperar_schnorr_invalida(1, 0, _compromisos(1)[0], _prueba(2, 0), HASHES["h_p"])
    _esperar_schnorr_invalida(1, 0, _compromisos(2)[0], _prueba(1, 0), HASHES["h_p"])
    _esperar_schnorr_invalida(1, 0, _compromisos(1)[0], _prueba(1, 0), HASHES["h_m"])
