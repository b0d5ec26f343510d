"""Fixtures compartidas de las mediciones con pytest-benchmark.

Todo lo caro (ceremonias, tablas de base fija, boletas, escrutinio) se prepara una vez por
sesión, fuera de lo medido.  Cada medición guarda en ``extra_info`` el pe de la corrida
(en µs) para convertir sus tiempos a pe.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks import escenario as esc
from benchmarks.medicion import medir_pe
from vmre_crypto import EscrutinioCifrado, ResultadoDescifrado, acumular, descifrar_en_proceso

BOLETAS_DISTINTAS = 20
BOLETAS_ESCRUTINIO = 1000


@pytest.fixture(scope="session")
def pe_us() -> float:
    """Un pe de esta corrida, en microsegundos."""
    return medir_pe(201) * 1e6


@pytest.fixture
def anotar(benchmark: Any, pe_us: float) -> Any:
    """El fixture ``benchmark`` con el pe de la corrida anotado en ``extra_info``."""
    benchmark.extra_info["pe_us"] = round(pe_us, 2)
    return benchmark


@pytest.fixture
def medir_con(anotar: Any) -> Callable[..., Any]:
    """``medir_con(funcion, generar, rondas)``: mide ``funcion(generar(i))`` con una entrada nueva por ronda.

    ``generar`` corre fuera del cronómetro.  Devuelve el resultado de la última llamada.  Con
    ``--benchmark-disable`` se llama una sola vez.
    """

    def correr(
        funcion: Callable[[Any], Any], generar: Callable[[int], Any], rondas: int, calentamiento: int = 1
    ) -> Any:
        contador = itertools.count()
        return anotar.pedantic(
            funcion,
            setup=lambda: ((generar(next(contador)),), {}),
            rounds=rondas,
            warmup_rounds=calentamiento,
        )

    return correr


@pytest.fixture(scope="session")
def gubernatura() -> esc.Eleccion:
    """gubernatura-10 con ceremonia real 5/3 y tablas de g y K construidas."""
    return esc.preparar_eleccion(esc.manifiesto_gubernatura(10))


@pytest.fixture(scope="session")
def presidencia() -> esc.Eleccion:
    """presidencia-2024 (17 opciones) con su propia ceremonia 5/3."""
    return esc.preparar_eleccion(esc.manifiesto_presidencia_2024())


@pytest.fixture(scope="session")
def boletas_gubernatura(gubernatura: esc.Eleccion) -> list[Any]:
    return esc.boletas_distintas(gubernatura, BOLETAS_DISTINTAS)


@pytest.fixture(scope="session")
def mil_boletas(boletas_gubernatura: list[Any]) -> list[Any]:
    return esc.replicar(boletas_gubernatura, BOLETAS_ESCRUTINIO)


@pytest.fixture(scope="session")
def conteos_mil(gubernatura: esc.Eleccion) -> dict[int, dict[int, int]]:
    return esc.conteos_esperados(gubernatura, BOLETAS_DISTINTAS, BOLETAS_ESCRUTINIO)


@pytest.fixture(scope="session")
def escrutinio_mil(gubernatura: esc.Eleccion, mil_boletas: list[Any]) -> EscrutinioCifrado:
    return acumular(gubernatura.contexto, mil_boletas)


@pytest.fixture(scope="session")
def llaves_presentes(gubernatura: esc.Eleccion) -> list[Any]:
    return [gubernatura.custodios[i - 1].llave() for i in esc.PRESENTES]


@pytest.fixture(scope="session")
def resultado_mil(
    gubernatura: esc.Eleccion, escrutinio_mil: EscrutinioCifrado, llaves_presentes: list[Any]
) -> ResultadoDescifrado:
    return descifrar_en_proceso(gubernatura.contexto, gubernatura.registro, llaves_presentes, escrutinio_mil)
