"""H = HMAC-SHA-256, codificaciones b(x, l), separación de dominio y hashes de parámetros."""

from __future__ import annotations

import hashlib

import pytest
from gmpy2 import mpz

from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, ElementoP, ElementoQ, Grupo
from vmre_crypto.primitivas.hash import Dominio, H, b, b_entero4, b_texto, codificar, hash_a_q
from vmre_crypto.primitivas.parametros import (
    VERSION_EG,
    hash_base,
    hash_extendido,
    hash_manifiesto,
    hash_parametros,
)

G = GRUPO_ESTANDAR
P, Q = int(G.p), int(G.q)


def _hmac_a_mano(clave: bytes, mensaje: bytes) -> bytes:
    """HMAC-SHA-256 según RFC 2104, escrito desde SHA-256 (sin el módulo hmac)."""
    clave = clave.ljust(64, b"\x00")
    interna = hashlib.sha256(bytes(k ^ 0x36 for k in clave) + mensaje).digest()
    return hashlib.sha256(bytes(k ^ 0x5C for k in clave) + interna).digest()


# -- H ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mensaje", [b"", b"\x00", b"abc", bytes(range(256)) * 5])
def test_H_es_hmac_sha256(mensaje: bytes) -> None:
    for clave in (bytes(32), bytes(range(32)), b"\xff" * 32):
        assert H(clave, mensaje) == _hmac_a_mano(clave, mensaje)
        assert len(H(clave, mensaje)) == 32


def test_H_respuesta_conocida() -> None:
    # HMAC-SHA-256 con clave de 32 bytes cero y mensaje vacío (valor de referencia).
    esperado = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"
    assert H(bytes(32), b"").hex() == esperado


@pytest.mark.parametrize("longitud", [0, 1, 16, 31, 33, 64])
def test_H_rechaza_clave_que_no_mide_32(longitud: int) -> None:
    with pytest.raises(ValueError):
        H(bytes(longitud), b"datos")


def test_H_depende_de_clave_y_mensaje() -> None:
    assert H(bytes(32), b"a") != H(bytes(32), b"b")
    assert H(bytes(32), b"a") != H(b"\x01" + bytes(31), b"a")


# -- codificaciones ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "longitud", "esperado"),
    [
        (0, 4, b"\x00\x00\x00\x00"),
        (1, 4, b"\x00\x00\x00\x01"),
        (0x01020304, 4, b"\x01\x02\x03\x04"),
        (255, 1, b"\xff"),
        (256, 3, b"\x00\x01\x00"),
    ],
)
def test_b_big_endian_con_relleno(x: int, longitud: int, esperado: bytes) -> None:
    assert b(x, longitud) == esperado


def test_b_longitudes_fijas() -> None:
    for x in (0, 1, Q - 1, P - 1, 2**255):
        salida = b(x, 512)
        assert len(salida) == 512 and int.from_bytes(salida, "big") == x
    for x in (0, 1, Q - 1):
        assert len(b(x, 32)) == 32
    assert b(P - 1, 512)[0] == 0xFF and b(1, 512)[:511] == bytes(511)
    assert b(mpz(7), 32) == bytes(31) + b"\x07"


def test_b_rechaza_desbordes_y_negativos() -> None:
    with pytest.raises(OverflowError):
        b(256, 1)
    with pytest.raises(OverflowError):
        b(2**256, 32)
    with pytest.raises(OverflowError):
        b(-1, 4)


def test_b_entero4_y_b_texto() -> None:
    assert b_entero4(5) == b"\x00\x00\x00\x05"
    assert b_entero4(2**32 - 1) == b"\xff\xff\xff\xff"
    with pytest.raises(OverflowError):
        b_entero4(2**32)
    assert b_texto("") == bytes(4)
    assert b_texto("ab") == b"\x00\x00\x00\x02ab"
    assert b_texto("ñ") == b"\x00\x00\x00\x02" + "ñ".encode()  # longitud en bytes UTF-8, no en caracteres


def test_codificar_segun_el_tipo() -> None:
    x = G.g_a_la(5)
    e = ElementoQ(7, G)
    salida = codificar(G, b"\x21", x, e, 3, b"zz")
    assert salida == b"\x21" + b(int(x), 512) + b(7, 32) + b"\x00\x00\x00\x03" + b"zz"
    assert len(salida) == 1 + 512 + 32 + 4 + 2
    assert codificar(G) == b""
    assert codificar(G, bytearray(b"ab")) == b"ab"


def test_codificar_usa_las_longitudes_del_grupo() -> None:
    juguete = Grupo(nombre="juguete", p=mpz(2039), q=mpz(1019), g=mpz(4))
    assert juguete.bytes_p == 2 and juguete.bytes_q == 2
    assert codificar(juguete, ElementoP(4, juguete), ElementoQ(3, juguete)) == b"\x00\x04\x00\x03"


def test_hash_a_q() -> None:
    clave, datos = bytes(range(32)), b"\x30abc"
    c = hash_a_q(G, clave, datos)
    assert isinstance(c, ElementoQ)
    assert int(c) == int.from_bytes(H(clave, datos), "big") % Q
    # En el grupo de juguete la reducción módulo q es visible.
    juguete = Grupo(nombre="juguete", p=mpz(2039), q=mpz(1019), g=mpz(4))
    assert int(hash_a_q(juguete, clave, datos)) == int.from_bytes(H(clave, datos), "big") % 1019


def test_bytes_de_dominio() -> None:
    esperados = {
        "H_P": 0x00,
        "H_M": 0x01,
        "H_B": 0x02,
        "SCHNORR_COEFICIENTE": 0x10,
        "CIFRADO_COMPARTICION": 0x11,
        "H_E": 0x12,
        "NONCE": 0x20,
        "RETO_RANGO": 0x21,
        "HASH_CONTIENDA": 0x23,
        "CODIGO_CONFIRMACION": 0x24,
        "RETO_DESCIFRADO": 0x30,
        "FIRMA_CREDENCIAL": 0x50,
    }
    for nombre, valor in esperados.items():
        assert Dominio[nombre] == valor
    valores = [d.value for d in Dominio]
    assert len(valores) == len(set(valores))
    # Las extensiones propias (todo lo que no es de EG 2.0) no chocan con 0x00–0x43.
    propios = [d for d in Dominio if d.name not in esperados or d.name == "FIRMA_CREDENCIAL"]
    assert propios
    for d in propios:
        assert d.value >= 0x50, d


# -- hashes de parámetros (formas de los artefactos) --------------------------------------------
def test_version_eg() -> None:
    assert VERSION_EG == b"v2.0.0" + bytes(26)
    assert len(VERSION_EG) == 32


def test_hash_parametros_disposicion() -> None:
    datos = b"\x00" + b(P, 512) + b(Q, 32) + b(int(G.g), 512)
    assert hash_parametros(G) == _hmac_a_mano(VERSION_EG, datos)
    otro = Grupo(nombre="x", p=G.p, q=G.q, g=mpz(pow(int(G.g), 2, P)))
    assert hash_parametros(otro) != hash_parametros(G)


def test_hash_manifiesto_sin_prefijo_de_longitud() -> None:
    h_p = hash_parametros(G)
    m = b'{"a":1}'
    assert hash_manifiesto(h_p, m) == _hmac_a_mano(h_p, b"\x01" + m)
    assert hash_manifiesto(h_p, m) != _hmac_a_mano(h_p, b"\x01" + b_entero4(len(m)) + m)


def test_hash_base_disposicion() -> None:
    h_p, h_m = hash_parametros(G), bytes(range(32))
    esperado = _hmac_a_mano(h_p, b"\x02" + b_entero4(5) + b_entero4(3) + b"2024-01-02" + "Año".encode() + h_m)
    assert hash_base(h_p, 5, 3, "2024-01-02", "Año", h_m) == esperado
    assert hash_base(h_p, 3, 5, "2024-01-02", "Año", h_m) != esperado


def test_hash_extendido_disposicion() -> None:
    h_b = bytes(range(1, 33))
    K = G.g_a_la(12345)
    assert hash_extendido(h_b, K) == _hmac_a_mano(h_b, b"\x12" + b(int(K), 512))
    assert hash_extendido(h_b, K) != hash_extendido(h_b, G.g_a_la(12346))
