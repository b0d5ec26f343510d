"""Función hash H y codificaciones de longitud fija (§3 de la especificación).

H(B0; B1) = HMAC-SHA-256(B0, B1) con B0 de 32 bytes (ecuación (3.1); EG 2.0 §5.2).  Los
enteros se codifican en big-endian con relleno de ceros a la izquierda: b(x, l_p) para
elementos de Z_p^r, b(x, l_q) para Z_q y b(i, 4) para índices.  El primer byte de B1 es
siempre un byte de separación de dominio (``Dominio``).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Iterable

from gmpy2 import mpz

from .grupo import ElementoP, ElementoQ, Grupo

__all__ = ["Dominio", "H", "b", "b_entero4", "b_texto", "codificar", "hash_a_q"]


class Dominio(enum.IntEnum):
    """Bytes de separación de dominio (§3.3).  0x00–0x43 son de EG 2.0; 0x50+ son nuestros."""

    H_P = 0x00
    H_M = 0x01
    H_B = 0x02
    SCHNORR_COEFICIENTE = 0x10
    CIFRADO_COMPARTICION = 0x11
    H_E = 0x12
    NONCE = 0x20
    RETO_RANGO = 0x21
    HASH_CONTIENDA = 0x23
    CODIGO_CONFIRMACION = 0x24
    RETO_DESCIFRADO = 0x30
    # Extensiones de vmre (§3.3.2).
    FIRMA_CREDENCIAL = 0x50
    LISTA_CREDENCIALES = 0x51
    REGISTRO_LLAVES = 0x52
    ESCRUTINIO = 0x53
    OBJETO_TABLERO = 0x54
    ENTRADA_TABLERO = 0x55


def H(clave: bytes, datos: bytes) -> bytes:
    """H(B0; B1) = HMAC-SHA-256(B0, B1), ecuación (3.1)."""
    if len(clave) != 32:
        raise ValueError("B0 debe medir exactamente 32 bytes")
    return hmac.new(clave, datos, hashlib.sha256).digest()


def b(x: int, longitud: int) -> bytes:
    """b(x, l): entero no negativo en big-endian de exactamente l bytes (§3.1)."""
    return int(x).to_bytes(longitud, "big")


def b_entero4(i: int) -> bytes:
    """b(i, 4) para índices y longitudes."""
    return int(i).to_bytes(4, "big")


def b_texto(texto: str) -> bytes:
    """b(len, 4) ∥ UTF-8(texto): cadena con prefijo de longitud (nuestras extensiones)."""
    datos = texto.encode("utf-8")
    return b_entero4(len(datos)) + datos


def codificar(grupo: Grupo, *partes: ElementoP | ElementoQ | bytes | int) -> bytes:
    """Concatena las codificaciones de ``partes`` según su tipo.

    ElementoP → b(x, l_p); ElementoQ → b(x, l_q); bytes sin cambio; int → b(i, 4).
    """
    salida = bytearray()
    lp, lq = grupo.bytes_p, grupo.bytes_q
    for parte in partes:
        if isinstance(parte, ElementoP):
            salida += b(parte.valor, lp)
        elif isinstance(parte, ElementoQ):
            salida += b(parte.valor, lq)
        elif isinstance(parte, (bytes, bytearray)):
            salida += parte
        elif isinstance(parte, int):
            salida += b_entero4(parte)
        else:  # pragma: no cover - error de programación
            raise TypeError(f"no se sabe codificar {type(parte).__name__}")
    return bytes(salida)


def hash_a_q(grupo: Grupo, clave: bytes, datos: bytes) -> ElementoQ:
    """Interpreta H(B0; B1) como entero big-endian y lo reduce módulo q (§3.2)."""
    return ElementoQ._confiable(mpz(int.from_bytes(H(clave, datos), "big")) % grupo.q, grupo)


def concatenar(partes: Iterable[bytes]) -> bytes:
    return b"".join(partes)
