"""Hashes de parámetros, manifiesto, base y base extendida (§4 de la especificación).

Las formas que siguen son las que reproducen los artefactos de referencia publicados de
ElectionGuard 2.0 (véase §4.5 «Divergencias con el texto impreso de EG 2.0»).
"""

from __future__ import annotations

from .grupo import ElementoP, Grupo
from .hash import Dominio, H, b, b_entero4

__all__ = ["VERSION_EG", "hash_base", "hash_extendido", "hash_manifiesto", "hash_parametros"]

#: §4.1: clave de versión B0 de H_P: UTF-8 de "v2.0.0" seguido de 26 bytes cero.
VERSION_EG = b"v2.0.0" + bytes(26)


def hash_parametros(grupo: Grupo) -> bytes:
    """H_P = H(ver; 0x00 ∥ b(p, l_p) ∥ b(q, l_q) ∥ b(g, l_p)), ecuación (4.1)."""
    datos = bytes([Dominio.H_P]) + b(grupo.p, grupo.bytes_p) + b(grupo.q, grupo.bytes_q)
    return H(VERSION_EG, datos + b(grupo.g, grupo.bytes_p))


def hash_manifiesto(h_p: bytes, manifiesto_canonico: bytes) -> bytes:
    """H_M = H(H_P; 0x01 ∥ bytes canónicos del manifiesto), ecuación (4.2), sin prefijo de longitud."""
    return H(h_p, bytes([Dominio.H_M]) + manifiesto_canonico)


def hash_base(h_p: bytes, n: int, k: int, fecha: str, info: str, h_m: bytes) -> bytes:
    """H_B = H(H_P; 0x02 ∥ b(n,4) ∥ b(k,4) ∥ UTF-8(fecha) ∥ UTF-8(info) ∥ H_M), ecuación (4.3)."""
    datos = bytes([Dominio.H_B]) + b_entero4(n) + b_entero4(k)
    return H(h_p, datos + fecha.encode("utf-8") + info.encode("utf-8") + h_m)


def hash_extendido(h_b: bytes, llave: ElementoP) -> bytes:
    """H_E = H(H_B; 0x12 ∥ b(K, l_p)), ecuación (4.4)."""
    return H(h_b, bytes([Dominio.H_E]) + b(llave.valor, llave.grupo.bytes_p))
