"""ElGamal exponencial y su agregación homomórfica (§5 de la especificación).

Cifrado de σ con nonce ξ bajo la llave K: (α, β) = (g^ξ, K^(σ+ξ)), ecuación (5.1).  El
producto componente a componente de cifrados es un cifrado de la suma (5.2).  Ambas
potencias usan tablas de base fija de g y de K.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gmpy2 import mpz

from .grupo import ElementoP, ElementoQ, Grupo

__all__ = ["Cifrado", "agregar", "cifrar", "descifrar_con_secreto", "potencia_de_llave"]


@dataclass(frozen=True, slots=True)
class Cifrado:
    """Par (α, β) de elementos de Z_p^r."""

    alfa: ElementoP
    beta: ElementoP

    def __mul__(self, otro: Cifrado) -> Cifrado:
        """Agregación homomórfica (5.2): (α1·α2, β1·β2) cifra σ1 + σ2."""
        return Cifrado(self.alfa * otro.alfa, self.beta * otro.beta)


def potencia_de_llave(llave: ElementoP, exponente: ElementoQ | int) -> ElementoP:
    """K^e con la tabla de base fija de K (construida una vez por elección)."""
    grupo = llave.grupo
    e = exponente.valor if isinstance(exponente, ElementoQ) else exponente
    return ElementoP._confiable(grupo.tabla(llave.valor).potencia(e), grupo)


def cifrar(llave: ElementoP, sigma: int, xi: ElementoQ) -> Cifrado:
    """Ecuación (5.1): (α, β) = (g^ξ, K^(σ+ξ)).  El nonce ξ lo da el llamador."""
    grupo = llave.grupo
    return Cifrado(grupo.g_a_la(xi), potencia_de_llave(llave, xi + sigma))


def agregar(grupo: Grupo, cifrados: Iterable[Cifrado]) -> Cifrado:
    """Producto de una colección de cifrados; el cifrado neutro (1, 1) si está vacía."""
    p = grupo.p
    a, bb = mpz(1), mpz(1)
    for c in cifrados:
        a = a * c.alfa.valor % p
        bb = bb * c.beta.valor % p
    return Cifrado(ElementoP._confiable(mpz(a), grupo), ElementoP._confiable(mpz(bb), grupo))


def descifrar_con_secreto(cifrado: Cifrado, secreto: ElementoQ, cota: int) -> int:
    """Descifrado con la llave secreta completa s (solo pruebas y herramientas de auditoría).

    En una elección nadie posee s; el descifrado real es por umbral (``descifrado``).
    """
    from .logaritmo import logaritmo_discreto

    m = cifrado.alfa.potencia_secreta(secreto)
    llave = cifrado.alfa.grupo.g_a_la(secreto)
    return logaritmo_discreto(cifrado.beta / m, llave, cota)
