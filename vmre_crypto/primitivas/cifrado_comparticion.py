"""Cifrado de comparticiones entre custodios (§7.4; EG 2.0 §3.2.2, ecuaciones (14)–(20)).

El custodio i cifra P_i(ℓ) para el custodio ℓ, cuya llave pública es K_ℓ = K_ℓ0:
ξ ← Z_q, α = g^ξ, β = K_ℓ^ξ, k = H(H_P; 0x11 ∥ b(i,4) ∥ b(ℓ,4) ∥ b(K_ℓ) ∥ b(α) ∥ b(β)),
k0 = HMAC(k, 0x01 ∥ Label ∥ 0x00 ∥ Context ∥ 0x0200), k1 = HMAC(k, 0x02 ∥ …) con
Label = "share enc keys" y Context = "share encrypt" ∥ b(i,4) ∥ b(ℓ,4) (NIST SP 800-108, modo
contador).  C0 = α, C1 = b(P_i(ℓ), 32) ⊕ k1, C2 = HMAC(k0, b(C0) ∥ C1).  Elegimos esta
construcción de EG 2.0 (y no AES-GCM) para que cualquier implementación conforme con EG la
reproduzca; ambas ofrecen cifrado autenticado con la misma derivación de llave.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from gmpy2 import mpz

from ..errores import ErrorVerificacion, Motivo
from .grupo import ElementoP, ElementoQ
from .hash import Dominio, H, b, codificar

__all__ = ["ComparticionCifradaBytes", "cifrar_comparticion", "descifrar_comparticion"]

_ETIQUETA = b"share enc keys"
_CONTEXTO = b"share encrypt"


@dataclass(frozen=True, slots=True)
class ComparticionCifradaBytes:
    """(C0, C1, C2) de la ecuación (7.9)."""

    c0: ElementoP
    c1: bytes
    c2: bytes


def _llaves(
    h_p: bytes, i: int, ell: int, llave_receptor: ElementoP, alfa: ElementoP, beta: ElementoP
) -> tuple[bytes, bytes]:
    grupo = alfa.grupo
    k = H(h_p, codificar(grupo, bytes([Dominio.CIFRADO_COMPARTICION]), i, ell, llave_receptor, alfa, beta))
    contexto = _CONTEXTO + b(i, 4) + b(ell, 4)
    k0 = hmac.new(k, b"\x01" + _ETIQUETA + b"\x00" + contexto + b"\x02\x00", hashlib.sha256).digest()
    k1 = hmac.new(k, b"\x02" + _ETIQUETA + b"\x00" + contexto + b"\x02\x00", hashlib.sha256).digest()
    return k0, k1


def _xor(x: bytes, y: bytes) -> bytes:
    return bytes(a ^ c for a, c in zip(x, y, strict=True))


def cifrar_comparticion(
    h_p: bytes, i: int, ell: int, llave_receptor: ElementoP, valor: ElementoQ
) -> ComparticionCifradaBytes:
    """Ecuaciones (7.7)–(7.9)."""
    grupo = llave_receptor.grupo
    xi = grupo.aleatorio_q()
    # ξ revela la compartición si se filtra: exponenciaciones de tiempo constante (§2.4.4).
    alfa = grupo.g_a_la_secreta(xi)
    beta = llave_receptor.potencia_secreta(xi)
    k0, k1 = _llaves(h_p, i, ell, llave_receptor, alfa, beta)
    c1 = _xor(b(valor.valor, grupo.bytes_q), k1)
    c2 = hmac.new(k0, b(alfa.valor, grupo.bytes_p) + c1, hashlib.sha256).digest()
    return ComparticionCifradaBytes(alfa, c1, c2)


def descifrar_comparticion(
    h_p: bytes,
    i: int,
    ell: int,
    secreto_receptor: ElementoQ,
    llave_receptor: ElementoP,
    cifrado: ComparticionCifradaBytes,
) -> ElementoQ:
    """Ecuación (7.10): comprueba el MAC en tiempo constante y devuelve P_i(ℓ) ∈ Z_q.

    Lanza ``COMPARTICION_MAC_INVALIDA`` si el MAC no verifica o el valor no está en Z_q.
    """
    grupo = llave_receptor.grupo
    beta = cifrado.c0.potencia_secreta(secreto_receptor)
    k0, k1 = _llaves(h_p, i, ell, llave_receptor, cifrado.c0, beta)
    esperado = hmac.new(k0, b(cifrado.c0.valor, grupo.bytes_p) + cifrado.c1, hashlib.sha256).digest()
    if len(cifrado.c1) != grupo.bytes_q or not hmac.compare_digest(esperado, cifrado.c2):
        raise ErrorVerificacion(
            Motivo.COMPARTICION_MAC_INVALIDA,
            "La compartición cifrada no se autentica (MAC inválido, V-K3).",
            emisor=i,
            receptor=ell,
        )
    valor = mpz(int.from_bytes(_xor(cifrado.c1, k1), "big"))
    if valor >= grupo.q:
        raise ErrorVerificacion(
            Motivo.COMPARTICION_MAC_INVALIDA,
            "La compartición descifrada no está en Z_q (V-K3).",
            emisor=i,
            receptor=ell,
        )
    return ElementoQ._confiable(valor, grupo)
