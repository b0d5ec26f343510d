"""Manifiesto de la elección: contiendas, opciones, límites y estilos de boleta (§4.2).

Los índices de contienda y de opción empiezan en 1 y son consecutivos, como ind_c e ind_o
de EG 2.0 (§3.1.3).  Los bytes canónicos del manifiesto son su JSON canónico (§10.2) y
entran en H_M (ecuación (4.2)).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errores import ErrorDecodificacion, Motivo
from .serializacion import a_json, texto_canonico

__all__ = ["Contienda", "EstiloBoleta", "Manifiesto", "Opcion"]


@dataclass(frozen=True, slots=True)
class Opcion:
    """Una opción de una contienda (partido, coalición, candidatura no registrada, voto nulo)."""

    indice: int
    etiqueta: str


@dataclass(frozen=True, slots=True)
class Contienda:
    """Contienda con su límite de selección L (número máximo de opciones marcadas)."""

    indice: int
    etiqueta: str
    limite_seleccion: int
    opciones: tuple[Opcion, ...]


@dataclass(frozen=True, slots=True)
class EstiloBoleta:
    """Estilo de boleta: las contiendas que ve un elector (p. ej. las de su entidad)."""

    identificador: str
    contiendas: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Manifiesto:
    etiqueta: str
    contiendas: tuple[Contienda, ...]
    estilos: tuple[EstiloBoleta, ...]

    def __post_init__(self) -> None:
        """Reglas M1–M5 de §4.2: índices consecutivos desde 1, límites válidos, estilos coherentes."""
        if not self.contiendas:
            raise _error("El manifiesto no tiene contiendas (M1).")
        for posicion, contienda in enumerate(self.contiendas, start=1):
            if contienda.indice != posicion:
                raise _error(f"La contienda en la posición {posicion} tiene índice {contienda.indice} (M2).")
            if not contienda.opciones:
                raise _error(f"La contienda {posicion} no tiene opciones (M1).")
            for pos_o, opcion in enumerate(contienda.opciones, start=1):
                if opcion.indice != pos_o:
                    raise _error(f"La opción {pos_o} de la contienda {posicion} tiene índice {opcion.indice} (M2).")
            if not 1 <= contienda.limite_seleccion <= len(contienda.opciones):
                raise _error(f"El límite de selección de la contienda {posicion} no es válido (M3).")
        if not self.estilos:
            raise _error("El manifiesto no tiene estilos de boleta (M4).")
        vistos = set()
        for estilo in self.estilos:
            if estilo.identificador in vistos:
                raise _error(f"Estilo de boleta repetido: «{estilo.identificador}» (M4).")
            vistos.add(estilo.identificador)
            if not estilo.contiendas or list(estilo.contiendas) != sorted(set(estilo.contiendas)):
                raise _error(f"El estilo «{estilo.identificador}» debe listar contiendas en orden creciente (M5).")
            if estilo.contiendas[0] < 1 or estilo.contiendas[-1] > len(self.contiendas):
                raise _error(f"El estilo «{estilo.identificador}» nombra una contienda inexistente (M5).")

    def bytes_canonicos(self) -> bytes:
        """Bytes que entran en H_M: JSON canónico del manifiesto en UTF-8 (§4.2)."""
        return texto_canonico(a_json(self)).encode("utf-8")

    def contienda(self, indice: int) -> Contienda:
        if not 1 <= indice <= len(self.contiendas):
            raise ErrorDecodificacion(Motivo.PARAMETRO_INVALIDO, f"No existe la contienda {indice}.")
        return self.contiendas[indice - 1]

    def estilo(self, identificador: str) -> EstiloBoleta:
        for estilo in self.estilos:
            if estilo.identificador == identificador:
                return estilo
        raise ErrorDecodificacion(
            Motivo.PARAMETRO_INVALIDO, f"No existe el estilo de boleta «{identificador}».", estilo=identificador
        )


def _error(mensaje: str) -> ErrorDecodificacion:
    return ErrorDecodificacion(Motivo.PARAMETRO_INVALIDO, mensaje)
