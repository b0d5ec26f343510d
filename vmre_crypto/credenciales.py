"""Credenciales de votación: un par de firma por elector (§8.7, extensión de vmre).

Como en Belenios, la autoridad de credenciales genera para cada elector un par
(x, X = g^x); el elector recibe x y el servidor solo la lista pública de las X, cuyo hash
H_C = H(H_P; 0x51 ∥ b(N,4) ∥ X_1 ∥ … ∥ X_N) (X ordenadas de menor a mayor) entra en el
registro de la elección.  Cada boleta lleva X en B_aux y una firma de Schnorr sobre su
código de confirmación (§6.4), así que un servidor sin los secretos no puede añadir
boletas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .primitivas.grupo import ElementoP, ElementoQ, Grupo
from .primitivas.hash import Dominio, H, codificar

__all__ = ["ParCredencial", "generar_credencial", "hash_lista_credenciales"]


@dataclass(frozen=True, slots=True, repr=False)
class ParCredencial:
    """Credencial de un elector.  ``secreta`` nunca aparece en ``repr`` ni en registros."""

    secreta: ElementoQ
    publica: ElementoP

    def __repr__(self) -> str:
        return f"ParCredencial(publica={self.publica!r}, secreta=<oculta>)"


def generar_credencial(grupo: Grupo) -> ParCredencial:
    x = grupo.aleatorio_q()
    while x.valor == 0:  # pragma: no cover - probabilidad 1/q
        x = grupo.aleatorio_q()
    return ParCredencial(x, grupo.g_a_la_secreta(x))


def hash_lista_credenciales(h_p: bytes, publicas: Iterable[ElementoP]) -> bytes:
    """Ecuación (8.9): hash de la lista pública de credenciales, en orden creciente."""
    lista = sorted(publicas, key=lambda x: int(x.valor))
    if not lista:
        raise ValueError("la lista de credenciales está vacía")
    grupo = lista[0].grupo
    return H(h_p, codificar(grupo, bytes([Dominio.LISTA_CREDENCIALES]), len(lista), *lista))
