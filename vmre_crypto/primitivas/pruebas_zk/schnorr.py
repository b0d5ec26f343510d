"""Prueba de Schnorr de conocimiento de un coeficiente del polinomio (§6.1).

Para K_ij = g^(a_ij): u ← Z_q, h = g^u, c = H(H_P; 0x10 ∥ b(i,4) ∥ b(j,4) ∥ b(K_ij) ∥ b(h)),
v = u − c·a_ij.  El verificador recalcula h = g^v · K_ij^c y compara c (V2.A–V2.B; EG 2.0
ecuaciones (11)–(12) y Verificación 2).  j se cuenta desde 0, como en los artefactos.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errores import ErrorVerificacion, Motivo
from ..grupo import ElementoP, ElementoQ
from ..hash import Dominio, codificar, hash_a_q

__all__ = ["PruebaSchnorr", "probar_schnorr", "verificar_schnorr"]


@dataclass(frozen=True, slots=True)
class PruebaSchnorr:
    """(c, v) de la ecuación (6.1)."""

    reto: ElementoQ
    respuesta: ElementoQ


def _reto(h_p: bytes, i: int, j: int, compromiso: ElementoP, h: ElementoP) -> ElementoQ:
    grupo = compromiso.grupo
    datos = codificar(grupo, bytes([Dominio.SCHNORR_COEFICIENTE]), i, j, compromiso, h)
    return hash_a_q(grupo, h_p, datos)


def probar_schnorr(h_p: bytes, i: int, j: int, coeficiente: ElementoQ, compromiso: ElementoP) -> PruebaSchnorr:
    """Ecuación (6.1).  ``compromiso`` debe ser g^coeficiente."""
    grupo = compromiso.grupo
    u = grupo.aleatorio_q()
    # u revela el coeficiente a_ij si se filtra: exponenciación de tiempo constante (§2.4.4).
    c = _reto(h_p, i, j, compromiso, grupo.g_a_la_secreta(u))
    return PruebaSchnorr(c, u - c * coeficiente)


def verificar_schnorr(h_p: bytes, i: int, j: int, compromiso: ElementoP, prueba: PruebaSchnorr) -> None:
    """V2.B: c = H(H_P; 0x10, i, j, K_ij, g^v·K_ij^c).  Lanza ``SCHNORR_INVALIDA``.

    La pertenencia de K_ij a Z_p^r (V2.A) la garantiza su tipo ``ElementoP``.
    """
    grupo = compromiso.grupo
    h = grupo.g_a_la(prueba.respuesta) * compromiso**prueba.reto
    if _reto(h_p, i, j, compromiso, h) != prueba.reto:
        raise ErrorVerificacion(
            Motivo.SCHNORR_INVALIDA,
            "La prueba de Schnorr del compromiso de coeficiente no verifica (V2.B).",
            custodio=i,
            coeficiente=j,
        )
