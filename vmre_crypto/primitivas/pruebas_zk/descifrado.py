"""Prueba conjunta de Chaum–Pedersen de descifrado correcto por umbral (§6.3).

Para un cifrado (A, B) y M = A^s (s la llave conjunta, que nadie posee), la prueba
(c, v) cumple a = g^v · K^c, b = A^v · M^c y c = H(H_E; 0x30 ∥ K ∥ A ∥ B ∥ a ∥ b ∥ M)
(EG 2.0 ecuaciones (66)–(71), Verificación 9).  Se construye entre los custodios de un
cuórum anunciado U: cada i ∈ U, con su compartición ponderada s_i = w_i·P(i), publica
M_i = A^(s_i) y (a_i, b_i) = (g^(u_i), A^(u_i)); M = ∏ M_i, a = ∏ a_i, b = ∏ b_i; cada
custodio responde v_i = u_i − c·s_i una sola vez y v = Σ v_i (§9.3–9.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errores import ErrorVerificacion, Motivo
from .. import _aritmetica as ar
from ..elgamal import Cifrado, potencia_de_llave
from ..grupo import ElementoP, ElementoQ
from ..hash import Dominio, codificar, hash_a_q

__all__ = [
    "PruebaDescifrado",
    "reto_descifrado",
    "verificar_descifrado",
    "verificar_respuesta_parcial",
]


@dataclass(frozen=True, slots=True)
class PruebaDescifrado:
    """(c, v) de la ecuación (6.8)."""

    reto: ElementoQ
    respuesta: ElementoQ


def reto_descifrado(
    h_e: bytes, llave: ElementoP, cifrado: Cifrado, a: ElementoP, b: ElementoP, m: ElementoP
) -> ElementoQ:
    """Ecuación (6.7): c = H(H_E; 0x30, K, A, B, a, b, M)."""
    grupo = llave.grupo
    datos = codificar(grupo, bytes([Dominio.RETO_DESCIFRADO]), llave, cifrado.alfa, cifrado.beta, a, b, m)
    return hash_a_q(grupo, h_e, datos)


def _a_por_exponentes(base1: ElementoP, e1: ElementoQ, base2: ElementoP, e2: ElementoQ) -> ElementoP:
    grupo = base1.grupo
    return ElementoP._confiable(ar.multiexp([base1.valor, base2.valor], [e1.valor, e2.valor], grupo.p), grupo)


def verificar_descifrado(
    h_e: bytes, llave: ElementoP, cifrado: Cifrado, m: ElementoP, prueba: PruebaDescifrado, **donde: object
) -> None:
    """V9.B: recomputa a = g^v·K^c, b = A^v·M^c y comprueba c.  Lanza ``DESCIFRADO_INVALIDO``."""
    grupo = llave.grupo
    c, v = prueba.reto, prueba.respuesta
    a = grupo.g_a_la(v) * potencia_de_llave(llave, c)
    b = _a_por_exponentes(cifrado.alfa, v, m, c)
    if reto_descifrado(h_e, llave, cifrado, a, b, m) != c:
        raise ErrorVerificacion(
            Motivo.DESCIFRADO_INVALIDO,
            "La prueba de descifrado correcto no verifica (V9.B).",
            **donde,
        )


def verificar_respuesta_parcial(
    llave_verificacion: ElementoP,
    alfa: ElementoP,
    m_i: ElementoP,
    a_i: ElementoP,
    b_i: ElementoP,
    c_i: ElementoQ,
    v_i: ElementoQ,
    **donde: object,
) -> None:
    """V-D2 (6.9): a_i = g^(v_i)·L_i^(c_i) y b_i = A^(v_i)·M_i^(c_i) (EG 2.0 (74)–(75)).

    L_i es la llave pública del exponente que usó el custodio: en vmre, la llave de verificación
    ponderada K̂_i^(w_i) = g^(w_i·P(i)) (7.5), con c_i = c.  Solo se usa para identificar al
    custodio culpable cuando la prueba conjunta falla: la prueba conjunta basta para la
    corrección del resultado.
    """
    grupo = alfa.grupo
    if _a_por_exponentes(grupo.generador, v_i, llave_verificacion, c_i) != a_i or (
        _a_por_exponentes(alfa, v_i, m_i, c_i) != b_i
    ):
        raise ErrorVerificacion(
            Motivo.DESCIFRADO_INVALIDO,
            "La respuesta parcial del custodio no verifica contra su llave de verificación (V-D2).",
            **donde,
        )
