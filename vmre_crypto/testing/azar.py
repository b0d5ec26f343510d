"""Puerta de prueba para azar reproducible (registros de ejemplo y vectores de prueba).

``con_semilla(b"...")`` hace que todos los nonces, coeficientes y retos aleatorios de la
biblioteca salgan de un generador determinista HMAC-SHA-256.  Solo para ejemplos,
vectores y pruebas: en producción el azar viene siempre de ``secrets``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..primitivas import _aritmetica as ar

__all__ = ["con_semilla"]


@contextmanager
def con_semilla(semilla: bytes | str | int) -> Iterator[None]:
    if isinstance(semilla, int):
        semilla = str(semilla)
    if isinstance(semilla, str):
        semilla = semilla.encode("utf-8")
    anterior = ar._instalar_fuente_de_prueba(ar.FuenteDeterminista(semilla))
    try:
        yield
    finally:
        ar._instalar_fuente_de_prueba(anterior)
