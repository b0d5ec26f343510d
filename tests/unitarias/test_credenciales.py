"""Credenciales (§8.7, §17): texto transcribible de la secreta, decodificación de las públicas y H_C.

El texto de la credencial secreta debe detectar SIEMPRE un símbolo mal copiado o dos símbolos
contiguos intercambiados (17.10); las pruebas lo recorren de forma exhaustiva sobre una
credencial fija.  Las credenciales públicas externas pasan por la decodificación estricta
(hexadecimal canónico, rango, subgrupo) antes de tocar la aritmética.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from gmpy2 import mpz

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ErrorDecodificacion,
    Motivo,
    a_json,
    codificar_credencial_secreta,
    decodificar_credencial_secreta,
    decodificar_credenciales_publicas,
    generar_credencial,
    hash_lista_credenciales,
    hash_lista_credenciales_del_grupo,
)
from vmre_crypto.credenciales import ALFABETO_CREDENCIAL, _crc24
from vmre_crypto.primitivas.grupo import Grupo
from vmre_crypto.primitivas.parametros import hash_parametros

G = GRUPO_ESTANDAR
JUGUETE = Grupo(nombre="juguete", p=mpz(2039), q=mpz(1019), g=mpz(4))
#: Un grupo de juguete con l_q = 1: 4 bytes de carga → 7 símbolos con 3 bits de relleno.
JUGUETE_RELLENO = Grupo(nombre="juguete-relleno", p=mpz(167), q=mpz(83), g=mpz(4))


def _texto_de(x: int) -> str:
    return codificar_credencial_secreta(G.q_elemento(x))


def test_crc24_matches_openpgp_reference_vector() -> None:
    # RFC 4880 §6.1: CRC-24 de "123456789" (vector clásico del catálogo de CRC) = 0x21CF02.
    assert _crc24(b"123456789") == 0x21CF02


def test_secret_text_round_trip_and_shape() -> None:
    par = generar_credencial(G)
    texto = codificar_credencial_secreta(par.secreta)
    grupos = texto.split("-")
    assert len(grupos) == 14 and all(len(g) == 4 for g in grupos)
    assert set(texto) <= set(ALFABETO_CREDENCIAL) | {"-"}
    leido = decodificar_credencial_secreta(G, texto)
    assert leido.secreta == par.secreta and leido.publica == par.publica


def test_secret_text_is_tolerant_to_case_spaces_and_confusable_letters() -> None:
    texto = _texto_de(0x0101_1010)  # muchos ceros y unos: O/0, I/L/1
    relajado = texto.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert decodificar_credencial_secreta(G, relajado).secreta.valor == 0x0101_1010


def test_every_single_symbol_substitution_is_detected() -> None:
    texto = codificar_credencial_secreta(generar_credencial(G).secreta).replace("-", "")
    for k, original in enumerate(texto):
        for otro in ALFABETO_CREDENCIAL:
            if otro == original:
                continue
            mutado = texto[:k] + otro + texto[k + 1 :]
            with pytest.raises(ErrorDecodificacion) as e:
                decodificar_credencial_secreta(G, mutado)
            assert e.value.motivo in (Motivo.FORMATO_INVALIDO, Motivo.FUERA_DE_RANGO_Q), (k, otro)


def test_every_adjacent_transposition_is_detected() -> None:
    texto = codificar_credencial_secreta(generar_credencial(G).secreta).replace("-", "")
    for k in range(len(texto) - 1):
        if texto[k] == texto[k + 1]:
            continue
        mutado = texto[:k] + texto[k + 1] + texto[k] + texto[k + 2 :]
        with pytest.raises(ErrorDecodificacion):
            decodificar_credencial_secreta(G, mutado)


@pytest.mark.parametrize(
    ("cambio", "motivo"),
    [
        (lambda t: t[:-1], Motivo.FORMATO_INVALIDO),  # falta un símbolo
        (lambda t: t + "0", Motivo.FORMATO_INVALIDO),  # sobra un símbolo
        (lambda t: "U" + t[1:], Motivo.FORMATO_INVALIDO),  # U no está en el alfabeto
        (lambda t: "*" + t[1:], Motivo.FORMATO_INVALIDO),
    ],
)
def test_malformed_secret_text_is_rejected(cambio, motivo) -> None:  # type: ignore[no-untyped-def]
    texto = _texto_de(12345)
    with pytest.raises(ErrorDecodificacion) as e:
        decodificar_credencial_secreta(G, cambio(texto))
    assert e.value.motivo is motivo
    assert e.value.detalles["campo"] == "credencial"


def test_secret_zero_or_out_of_range_is_rejected_even_with_a_valid_checksum() -> None:
    for x in (0, int(G.q), (1 << 256) - 1):
        carga = x.to_bytes(32, "big")
        carga += _crc24(carga).to_bytes(3, "big")
        entero = int.from_bytes(carga, "big")
        texto = "".join(ALFABETO_CREDENCIAL[(entero >> (5 * (55 - k))) & 31] for k in range(56))
        with pytest.raises(ErrorDecodificacion) as e:
            decodificar_credencial_secreta(G, texto)
        assert e.value.motivo is Motivo.FUERA_DE_RANGO_Q


def test_secret_text_with_padding_bits() -> None:
    x = JUGUETE_RELLENO.q_elemento(77)
    texto = codificar_credencial_secreta(x)
    assert len(texto.replace("-", "")) == 7
    assert decodificar_credencial_secreta(JUGUETE_RELLENO, texto).secreta == x
    # El último símbolo lleva 2 bits de datos y 3 de relleno: relleno distinto de cero → rechazo.
    ultimo = ALFABETO_CREDENCIAL.index(texto[-1])
    mutado = texto[:-1] + ALFABETO_CREDENCIAL[ultimo | 1]
    if mutado != texto:
        with pytest.raises(ErrorDecodificacion) as e:
            decodificar_credencial_secreta(JUGUETE_RELLENO, mutado)
        assert e.value.motivo is Motivo.FORMATO_INVALIDO


def test_secret_text_must_be_a_string() -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        decodificar_credencial_secreta(G, 1234)  # type: ignore[arg-type]
    assert e.value.motivo is Motivo.TIPO_INVALIDO


# -- Credenciales públicas -----------------------------------------------------------------


def _publicas(n: int) -> list[str]:
    return [a_json(generar_credencial(G).publica) for _ in range(n)]


def test_public_credentials_decode_in_order() -> None:
    textos = _publicas(3)
    elementos = decodificar_credenciales_publicas(G, textos)
    assert [a_json(x) for x in elementos] == textos


@pytest.mark.parametrize(
    ("valor", "motivo"),
    [
        (12345, Motivo.TIPO_INVALIDO),
        ("AB", Motivo.FORMATO_INVALIDO),
        ("zz" * 512, Motivo.FORMATO_INVALIDO),
        (None, Motivo.TIPO_INVALIDO),
        ("0" * 1024, Motivo.FUERA_DE_RANGO_P),
        (format(int(G.p), "X"), Motivo.FUERA_DE_RANGO_P),
        (format(int(G.p) - 1, "X"), Motivo.NO_ES_MIEMBRO_SUBGRUPO),  # −1 tiene orden 2
        ("0" * 1023 + "2", Motivo.NO_ES_MIEMBRO_SUBGRUPO),
    ],
)
def test_bad_public_credential_is_rejected_with_its_index(valor, motivo) -> None:  # type: ignore[no-untyped-def]
    textos: list[object] = list(_publicas(2))
    textos.insert(1, valor)
    with pytest.raises(ErrorDecodificacion) as e:
        decodificar_credenciales_publicas(G, textos)
    assert e.value.motivo is motivo
    assert e.value.detalles["indice"] == 1


def test_lowercase_hex_is_not_canonical() -> None:
    texto = _publicas(1)[0]
    with pytest.raises(ErrorDecodificacion) as e:
        decodificar_credenciales_publicas(G, [texto.lower()])
    assert e.value.motivo is Motivo.FORMATO_INVALIDO


def test_list_hash_of_the_group_is_equation_8_9_with_h_p_of_the_group() -> None:
    publicas = [generar_credencial(G).publica for _ in range(4)]
    h_c = hash_lista_credenciales_del_grupo(G, publicas)
    assert h_c == hash_lista_credenciales(hash_parametros(G), publicas)
    # Segunda implementación ingenua: HMAC-SHA-256 sobre 0x51 ∥ b(N,4) ∥ X ordenadas.
    datos = bytes([0x51]) + len(publicas).to_bytes(4, "big")
    datos += b"".join(int(x.valor).to_bytes(512, "big") for x in sorted(publicas, key=lambda x: int(x.valor)))
    assert h_c == hmac.new(hash_parametros(G), datos, hashlib.sha256).digest()
    assert h_c == hash_lista_credenciales_del_grupo(G, list(reversed(publicas)))  # el orden no importa
