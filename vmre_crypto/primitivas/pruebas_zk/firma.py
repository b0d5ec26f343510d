"""Firma de Schnorr con la credencial de votación (§6.4, extensión de vmre).

Cada elector tiene un par (x, X = g^x).  Para firmar un mensaje m (el código de
confirmación de su boleta): u ← Z_q, h = g^u, c = H(H_E; 0x50 ∥ b(X) ∥ b(h) ∥ b(len m, 4) ∥ m),
v = u − c·x.  La firma (c, v) verifica si c = H(H_E; 0x50 ∥ b(X) ∥ b(g^v·X^c) ∥ …).  El
byte 0x50 no lo usa EG 2.0, de modo que ninguna prueba de EG puede reinterpretarse como
firma ni al revés.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errores import ErrorVerificacion, Motivo
from ..grupo import ElementoP, ElementoQ
from ..hash import Dominio, b_entero4, codificar, hash_a_q

__all__ = ["FirmaSchnorr", "firmar", "verificar_firma"]


@dataclass(frozen=True, slots=True)
class FirmaSchnorr:
    reto: ElementoQ
    respuesta: ElementoQ


def _reto(h_e: bytes, publica: ElementoP, h: ElementoP, mensaje: bytes) -> ElementoQ:
    grupo = publica.grupo
    datos = codificar(grupo, bytes([Dominio.FIRMA_CREDENCIAL]), publica, h, b_entero4(len(mensaje)), mensaje)
    return hash_a_q(grupo, h_e, datos)


def firmar(h_e: bytes, secreta: ElementoQ, publica: ElementoP, mensaje: bytes) -> FirmaSchnorr:
    """Ecuación (6.10)."""
    grupo = publica.grupo
    u = grupo.aleatorio_q()
    # u revela la credencial x si se filtra: exponenciación de tiempo constante (§2.4.4).
    c = _reto(h_e, publica, grupo.g_a_la_secreta(u), mensaje)
    return FirmaSchnorr(c, u - c * secreta)


def verificar_firma(h_e: bytes, publica: ElementoP, mensaje: bytes, firma: FirmaSchnorr, **donde: object) -> None:
    """V-C1 (ecuación (6.11)).  Lanza ``FIRMA_CREDENCIAL_INVALIDA``."""
    grupo = publica.grupo
    h = grupo.g_a_la(firma.respuesta) * publica**firma.reto
    if _reto(h_e, publica, h, mensaje) != firma.reto:
        raise ErrorVerificacion(
            Motivo.FIRMA_CREDENCIAL_INVALIDA, "La firma de la credencial no verifica (V-C1).", **donde
        )
