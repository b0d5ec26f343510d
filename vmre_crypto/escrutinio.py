"""Agregación homomórfica de las boletas depositadas (§9.1).

Para cada opción de cada contienda, el escrutinio cifrado es el producto de los cifrados
de esa opción en todas las boletas depositadas, válidas y no desafiadas que contienen la
contienda (EG 2.0 §3.5, Verificación 8).  Se guarda además cuántas boletas entraron en
cada contienda: es la cota del logaritmo discreto del descifrado (§9.5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gmpy2 import mpz

from .boletas import BoletaCifrada
from .eleccion import ContextoEleccion
from .primitivas.elgamal import Cifrado
from .primitivas.grupo import ElementoP
from .primitivas.hash import Dominio, H, codificar

__all__ = ["EscrutinioCifrado", "EscrutinioContienda", "acumular"]


@dataclass(frozen=True, slots=True)
class EscrutinioContienda:
    indice: int
    boletas: int
    cifrados: tuple[Cifrado, ...]


@dataclass(frozen=True, slots=True)
class EscrutinioCifrado:
    contiendas: tuple[EscrutinioContienda, ...]

    def cifrados(self) -> list[tuple[int, int, Cifrado]]:
        """(contienda, opción, cifrado) en orden canónico: contienda y opción crecientes."""
        return [(c.indice, o, cifrado) for c in self.contiendas for o, cifrado in enumerate(c.cifrados, start=1)]

    def hash(self, contexto: ContextoEleccion) -> bytes:
        """Ecuación (9.2): hash del escrutinio H_T, que liga los mensajes de descifrado.

        H_T = H(H_E; 0x53 ∥ ∀c: [b(c,4) ∥ b(N_c,4) ∥ ∀o: (b(o,4) ∥ b(A_co) ∥ b(B_co))]), con N_c
        el número de boletas de la contienda c (la cota del logaritmo discreto, V10).
        """
        partes: list[ElementoP | bytes | int] = [bytes([Dominio.ESCRUTINIO])]
        for contienda in self.contiendas:
            partes += [contienda.indice, contienda.boletas]
            for o, cifrado in enumerate(contienda.cifrados, start=1):
                partes += [o, cifrado.alfa, cifrado.beta]
        return H(contexto.h_e, codificar(contexto.grupo, *partes))


def acumular(contexto: ContextoEleccion, boletas: Iterable[BoletaCifrada]) -> EscrutinioCifrado:
    """Ecuación (9.1): A = ∏ α, B = ∏ β por opción.  Las boletas ya deben estar verificadas."""
    manifiesto = contexto.manifiesto
    p = contexto.grupo.p
    alfas: dict[int, list[mpz]] = {c.indice: [mpz(1)] * len(c.opciones) for c in manifiesto.contiendas}
    betas: dict[int, list[mpz]] = {c.indice: [mpz(1)] * len(c.opciones) for c in manifiesto.contiendas}
    cuenta = {c.indice: 0 for c in manifiesto.contiendas}
    for boleta in boletas:
        for contienda in boleta.contiendas:
            a, b = alfas[contienda.indice], betas[contienda.indice]
            cuenta[contienda.indice] += 1
            for j, seleccion in enumerate(contienda.selecciones):
                a[j] = a[j] * seleccion.cifrado.alfa.valor % p
                b[j] = b[j] * seleccion.cifrado.beta.valor % p
    grupo = contexto.grupo
    return EscrutinioCifrado(
        tuple(
            EscrutinioContienda(
                c.indice,
                cuenta[c.indice],
                tuple(
                    Cifrado(ElementoP._confiable(x, grupo), ElementoP._confiable(y, grupo))
                    for x, y in zip(alfas[c.indice], betas[c.indice], strict=False)
                ),
            )
            for c in manifiesto.contiendas
        )
    )
