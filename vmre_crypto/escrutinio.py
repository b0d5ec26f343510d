"""Agregación homomórfica de las boletas depositadas (§9.1).

Para cada opción de cada contienda, el escrutinio cifrado es el producto de los cifrados
de esa opción en todas las boletas depositadas, válidas y no desafiadas que contienen la
contienda (EG 2.0 §3.5, Verificación 8).  Se guarda además cuántas boletas entraron en
cada contienda: es la cota del logaritmo discreto del descifrado (§9.5).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from gmpy2 import mpz

from .boletas import BoletaCifrada
from .eleccion import ContextoEleccion
from .errores import ErrorDecodificacion, Motivo
from .primitivas.elgamal import Cifrado
from .primitivas.grupo import ElementoP
from .primitivas.hash import Dominio, H, codificar

__all__ = ["EscrutinioCifrado", "EscrutinioContienda", "acumular", "acumular_verificadas"]


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


def _acumular(
    contexto: ContextoEleccion, boletas: Iterable[Iterable[tuple[int, list[tuple[mpz, mpz]]]]]
) -> EscrutinioCifrado:
    """Ecuación (9.1) sobre cada boleta dada como [(contienda, [(α, β) por opción])]."""
    manifiesto = contexto.manifiesto
    p = contexto.grupo.p
    alfas: dict[int, list[mpz]] = {c.indice: [mpz(1)] * len(c.opciones) for c in manifiesto.contiendas}
    betas: dict[int, list[mpz]] = {c.indice: [mpz(1)] * len(c.opciones) for c in manifiesto.contiendas}
    cuenta = {c.indice: 0 for c in manifiesto.contiendas}
    for boleta in boletas:
        for indice, cifrados in boleta:
            a, b = alfas[indice], betas[indice]
            cuenta[indice] += 1
            for j, (alfa, beta) in enumerate(cifrados):
                a[j] = a[j] * alfa % p
                b[j] = b[j] * beta % p
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


def acumular(contexto: ContextoEleccion, boletas: Iterable[BoletaCifrada]) -> EscrutinioCifrado:
    """Ecuación (9.1): A = ∏ α, B = ∏ β por opción.  Las boletas ya deben estar verificadas."""
    return _acumular(
        contexto,
        (
            (
                (c.indice, [(s.cifrado.alfa.valor, s.cifrado.beta.valor) for s in c.selecciones])
                for c in boleta.contiendas
            )
            for boleta in boletas
        ),
    )


def acumular_verificadas(contexto: ContextoEleccion, documentos: Iterable[str | bytes]) -> EscrutinioCifrado:
    """Ecuación (9.1) directamente sobre el JSON de boletas que quien llama YA verificó completas.

    Para quien guardó las boletas tras verificarlas (el servidor, (20.11f), al cerrar (21.2)):
    no repite la decodificación estricta ni la pertenencia al subgrupo (V-G2), que son lo caro
    (≈ 20 ms por boleta gubernatura-10 frente a ≈ 0.5 ms).  Sí comprueba que cada contienda exista
    y tenga una selección por opción, para no sumar algo que no es una boleta del manifiesto.  Un
    tercero que recalcula el escrutinio de un tablero ajeno DEBE usar ``acumular`` sobre boletas
    decodificadas (y verificadas).
    """
    opciones = {c.indice: len(c.opciones) for c in contexto.manifiesto.contiendas}

    def leer(texto: str | bytes) -> list[tuple[int, list[tuple[mpz, mpz]]]]:
        documento = json.loads(texto)
        if not isinstance(documento, dict) or documento.get("tipo") != "boleta_cifrada":
            raise ErrorDecodificacion(Motivo.TIPO_INVALIDO, "Se esperaba una boleta_cifrada.")
        salida = []
        for c in documento["contiendas"]:
            indice, selecciones = c["indice"], c["selecciones"]
            if opciones.get(indice) != len(selecciones):
                raise ErrorDecodificacion(
                    Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO,
                    "La boleta no corresponde al manifiesto.",
                    boleta=documento.get("id_boleta"),
                    contienda=indice,
                )
            salida.append(
                (indice, [(mpz(s["cifrado"]["alfa"], 16), mpz(s["cifrado"]["beta"], 16)) for s in selecciones])
            )
        return salida

    return _acumular(contexto, (leer(d) for d in documentos))
