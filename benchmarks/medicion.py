"""Herramientas mínimas de medición: la unidad «pe», medianas y datos de la máquina.

Unidad pe: la mediana del tiempo de una llamada ``gmpy2.powmod(g, x, p)`` en el grupo
estándar, con x uniforme de 256 bits y distinto en cada llamada.  Expresar todo en pe hace
comparables las cifras entre máquinas: casi todo el costo de la biblioteca son
exponenciaciones módulo el mismo p de 4096 bits.
"""

from __future__ import annotations

import gc
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import gmpy2
from gmpy2 import mpz

from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, Grupo

__all__ = [
    "MUESTRAS_PE",
    "a_pe",
    "info_maquina",
    "medir",
    "medir_muestras",
    "medir_pe",
    "muestras_pe",
]

#: Llamadas a powmod por medición de pe (la mediana es estable desde ~200).
MUESTRAS_PE = 301


def muestras_pe(muestras: int = MUESTRAS_PE, grupo: Grupo = GRUPO_ESTANDAR) -> list[float]:
    """Tiempos (s) de ``muestras`` llamadas a ``gmpy2.powmod(g, x, p)``, x de 256 bits nuevo cada vez."""
    g, p = mpz(grupo.g), mpz(grupo.p)
    exponentes = [mpz(secrets.randbits(256)) for _ in range(muestras)]
    reloj = time.perf_counter
    powmod = gmpy2.powmod
    tiempos = []
    powmod(g, exponentes[0], p)  # calentamiento
    for x in exponentes:
        t0 = reloj()
        powmod(g, x, p)
        tiempos.append(reloj() - t0)
    return tiempos


def medir_pe(muestras: int = MUESTRAS_PE, grupo: Grupo = GRUPO_ESTANDAR) -> float:
    """Un pe en segundos: mediana de ``muestras_pe``."""
    return statistics.median(muestras_pe(muestras, grupo))


def medir_muestras(
    funcion: Callable[..., Any],
    repeticiones: int,
    *,
    preparar: Callable[[int], Any] | None = None,
    calentamiento: int = 1,
) -> list[float]:
    """Tiempos (s) de ``repeticiones`` llamadas a ``funcion``.

    Si se da ``preparar``, se llama fuera del cronómetro con el número de repetición y su
    resultado se pasa a ``funcion`` (entradas distintas por repetición sin medir su costo);
    si no, ``funcion`` se llama sin argumentos.  El recolector de basura se vacía antes de
    cada repetición y se apaga durante ella.  Las ``calentamiento`` primeras llamadas no se
    cuentan (cachés de tipos, de CPU, etc.).
    """
    if repeticiones < 1:
        raise ValueError("se necesita al menos una repetición")
    objetivo: Callable[[Any], Any] = funcion if preparar is not None else (lambda _sin: funcion())
    entrada: Callable[[int], Any] = preparar if preparar is not None else (lambda _i: None)
    reloj = time.perf_counter
    gc_estaba = gc.isenabled()
    tiempos: list[float] = []
    try:
        for i in range(calentamiento + repeticiones):
            argumento = entrada(i)
            gc.collect()
            gc.disable()
            t0 = reloj()
            objetivo(argumento)
            t1 = reloj()
            if gc_estaba:
                gc.enable()
            if i >= calentamiento:
                tiempos.append(t1 - t0)
    finally:
        if gc_estaba:
            gc.enable()
    return tiempos


def medir(
    funcion: Callable[..., Any],
    repeticiones: int,
    *,
    preparar: Callable[[int], Any] | None = None,
    calentamiento: int = 1,
) -> float:
    """Mediana (s) de ``medir_muestras``."""
    return statistics.median(medir_muestras(funcion, repeticiones, preparar=preparar, calentamiento=calentamiento))


def a_pe(segundos: float, pe: float) -> float:
    """Convierte segundos a pe."""
    return segundos / pe


def carga_1min() -> float | None:
    """Carga promedio del sistema en el último minuto (``os.getloadavg``), si el sistema la da."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def info_maquina() -> dict[str, Any]:
    """Versiones de Python, gmpy2 y GMP, y datos del procesador."""
    return {
        "python": platform.python_version(),
        "implementacion": platform.python_implementation(),
        "gmpy2": gmpy2.version(),
        "gmp": gmpy2.mp_version(),
        "cpus": os.cpu_count(),
        "cpus_disponibles": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "arquitectura": platform.machine(),
        "procesador": _nombre_procesador(),
        "sistema": f"{platform.system()} {platform.release()}",
        "ejecutable": sys.executable,
    }


def _nombre_procesador() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for linea in f:
                if linea.startswith("model name"):
                    return linea.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "desconocido"
