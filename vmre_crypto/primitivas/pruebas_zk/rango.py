"""Prueba de rango 0..R de Chaum–Pedersen disyuntiva (§6.2).

Demuestra que (α, β) = (g^ξ, K^(ℓ+ξ)) cifra algún ℓ ∈ {0, …, R} sin revelar ℓ.  Con R = 1
es la prueba de cada selección (EG 2.0 §3.3.5); con R = L es la
prueba del límite de la contienda sobre el producto de sus cifrados (EG 2.0 §3.3.8, (56)).

Prover: para j ≠ ℓ elige c_j, u_j; (a_j, b_j) = (g^(u_j), K^(u_j + (ℓ−j)·c_j)); para j = ℓ,
(a_ℓ, b_ℓ) = (g^(u_ℓ), K^(u_ℓ)).  c = H(H_E; 0x21 ∥ K ∥ α ∥ β ∥ a_0 ∥ b_0 ∥ … ∥ a_R ∥ b_R),
c_ℓ = c − Σ_(j≠ℓ) c_j, v_j = u_j − c_j·ξ.  Verificador (V-R1..V-R3): a_j = g^(v_j)·α^(c_j),
b_j = K^(w_j)·β^(c_j) con w_j = v_j − j·c_j, y Σ c_j = H(…).
"""

from __future__ import annotations

from dataclasses import dataclass

from gmpy2 import mpz

from ...errores import ErrorVerificacion, Motivo
from .. import _aritmetica as ar
from ..elgamal import Cifrado, potencia_de_llave
from ..grupo import ElementoP, ElementoQ, Grupo
from ..hash import Dominio, codificar, hash_a_q

__all__ = ["PruebaRango", "probar_rango", "verificar_rango"]


@dataclass(frozen=True, slots=True)
class PruebaRango:
    """Retos (c_0..c_R) y respuestas (v_0..v_R); R = len(retos) − 1."""

    retos: tuple[ElementoQ, ...]
    respuestas: tuple[ElementoQ, ...]

    @property
    def cota(self) -> int:
        return len(self.retos) - 1


def _reto(h_e: bytes, llave: ElementoP, cifrado: Cifrado, compromisos: list[ElementoP]) -> ElementoQ:
    grupo = llave.grupo
    datos = codificar(grupo, bytes([Dominio.RETO_RANGO]), llave, cifrado.alfa, cifrado.beta, *compromisos)
    return hash_a_q(grupo, h_e, datos)


def probar_rango(h_e: bytes, llave: ElementoP, cifrado: Cifrado, xi: ElementoQ, valor: int, cota: int) -> PruebaRango:
    """Ecuaciones (6.2)–(6.4).  ``cifrado`` debe cifrar ``valor`` ∈ [0, cota] con nonce ξ."""
    if not 0 <= valor <= cota:
        raise ValueError("el valor cifrado está fuera del rango de la prueba")
    grupo = llave.grupo
    retos: list[ElementoQ] = []
    us: list[ElementoQ] = []
    compromisos: list[ElementoP] = []
    for j in range(cota + 1):
        u = grupo.aleatorio_q()
        us.append(u)
        if j == valor:
            retos.append(ElementoQ._confiable(mpz(0), grupo))  # c_ℓ se fija tras el hash
            compromisos += [grupo.g_a_la(u), potencia_de_llave(llave, u)]
        else:
            c_j = grupo.aleatorio_q()
            retos.append(c_j)
            compromisos += [grupo.g_a_la(u), potencia_de_llave(llave, u + c_j * (valor - j))]
    c = _reto(h_e, llave, cifrado, compromisos)
    suma_otros = sum((r.valor for j, r in enumerate(retos) if j != valor), start=mpz(0))
    retos[valor] = ElementoQ._confiable((c.valor - suma_otros) % grupo.q, grupo)
    respuestas = tuple(u - c_j * xi for u, c_j in zip(us, retos, strict=False))
    return PruebaRango(tuple(retos), respuestas)


def verificar_rango(
    h_e: bytes, llave: ElementoP, cifrado: Cifrado, prueba: PruebaRango, cota: int, **donde: object
) -> None:
    """V-R1 (forma: R+1 retos y respuestas), V-R2 (recomputar a_j, b_j), V-R3 (Σ c_j = c).

    ``donde`` identifica el objeto (boleta, contienda, opción) en el error.
    """
    grupo: Grupo = llave.grupo
    if len(prueba.retos) != cota + 1 or len(prueba.respuestas) != cota + 1:
        raise ErrorVerificacion(
            Motivo.RANGO_INVALIDA,
            f"La prueba de rango debe tener {cota + 1} retos y respuestas (V-R1).",
            **donde,
        )
    compromisos: list[ElementoP] = []
    p = grupo.p
    # α^(c_j) y β^(c_j) para todos los j compartiendo cuadrados (§2.4.3).
    alfas_c = ar.potencias_misma_base(cifrado.alfa.valor, [c.valor for c in prueba.retos], p)
    betas_c = ar.potencias_misma_base(cifrado.beta.valor, [c.valor for c in prueba.retos], p)
    for j, (c_j, v_j) in enumerate(zip(prueba.retos, prueba.respuestas, strict=True)):
        a_j = grupo.g_a_la(v_j).valor * alfas_c[j] % p
        b_j = potencia_de_llave(llave, v_j - c_j * j).valor * betas_c[j] % p
        compromisos += [ElementoP._confiable(a_j, grupo), ElementoP._confiable(b_j, grupo)]
    c = _reto(h_e, llave, cifrado, compromisos)
    suma = sum((r.valor for r in prueba.retos), start=mpz(0)) % grupo.q
    if suma != c.valor:
        raise ErrorVerificacion(
            Motivo.RANGO_INVALIDA,
            "La suma de los retos de la prueba de rango no coincide con el hash (V-R3).",
            **donde,
        )
