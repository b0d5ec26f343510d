"""Documentos propios del registro publicado (§14.3): credenciales, boletas desafiadas y actas."""

from __future__ import annotations

from dataclasses import dataclass

from ..boletas import AperturaBoleta, BoletaCifrada
from ..primitivas.grupo import ElementoP

__all__ = [
    "TAMANO_PARTE_CREDENCIALES",
    "ActaComputo",
    "ActaInicio",
    "BoletaDesafiada",
    "ListaCredenciales",
    "ParteCredenciales",
    "ResultadoContienda",
]

#: Credenciales por documento ``parte_credenciales`` (memoria acotada al leer 150 000 o más).
TAMANO_PARTE_CREDENCIALES = 1000


@dataclass(frozen=True, slots=True)
class ListaCredenciales:
    """Encabezado de la lista pública de credenciales: cantidad N, número de partes y H_C (8.9).

    Las credenciales siguen en ``partes`` documentos ``parte_credenciales``, en orden creciente
    estricto de X (así H_C se calcula en flujo y la unicidad se ve de inmediato).
    """

    cantidad: int
    partes: int
    hash_lista: bytes


@dataclass(frozen=True, slots=True)
class ParteCredenciales:
    parte: int
    publicas: tuple[ElementoP, ...]


@dataclass(frozen=True, slots=True)
class BoletaDesafiada:
    """Una boleta desafiada (Benaloh) con su apertura; nunca se cuenta."""

    boleta: BoletaCifrada
    apertura: AperturaBoleta


@dataclass(frozen=True, slots=True)
class ResultadoContienda:
    contienda: int
    boletas: int
    conteos: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ActaInicio:
    """Acta de inicio: los hashes que fijan la elección y la cabeza del tablero al abrir (§14.4)."""

    h_p: bytes
    h_m: bytes
    h_b: bytes
    h_e: bytes
    hash_registro_llaves: bytes
    hash_credenciales: bytes
    cabeza_tablero: bytes
    entradas: int


@dataclass(frozen=True, slots=True)
class ActaComputo:
    """Acta de cómputo: resultados por contienda y la cabeza del tablero al cerrar (§14.4)."""

    h_e: bytes
    hash_escrutinio: bytes
    boletas_depositadas: int
    boletas_desafiadas: int
    cuorum: tuple[int, ...]
    resultados: tuple[ResultadoContienda, ...]
    cabeza_tablero: bytes
    entradas: int
