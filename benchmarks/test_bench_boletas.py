"""Boletas completas: cifrado (con credencial) y verificación del lado del servidor.

gubernatura-10 (1 contienda, 10 opciones) y presidencia-2024 (1 contienda, 17 opciones).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from benchmarks import escenario as esc
from vmre_crypto import (
    BoletaCifrada,
    BoletaPreparada,
    abrir_boleta,
    cifrar_boleta,
    deserializar,
    serializar,
    verificar_boleta,
)

BOLETAS = ["gubernatura", "presidencia"]


@pytest.fixture(params=BOLETAS)
def eleccion(request: pytest.FixtureRequest) -> esc.Eleccion:
    eleccion: esc.Eleccion = request.getfixturevalue(request.param)
    return eleccion


@pytest.fixture
def textos(eleccion: esc.Eleccion) -> list[tuple[str, BoletaCifrada]]:
    boletas = esc.boletas_distintas(eleccion, 3)
    return [(serializar(b), b) for b in boletas]


def test_cifrar_boleta(medir_con: Callable[..., Any], eleccion: esc.Eleccion) -> None:
    """cifrar_boleta con credencial: cifrados, pruebas 0..1, prueba de límite, χ, código y firma."""
    contexto = eleccion.contexto

    def cifrar(i: int) -> tuple[int, BoletaPreparada]:
        return i, cifrar_boleta(contexto, esc.ESTILO, eleccion.marcas(i), eleccion.credencial)

    i, preparada = medir_con(cifrar, lambda i: i, rondas=20)
    verificar_boleta(contexto, preparada.boleta)
    assert abrir_boleta(contexto, preparada.boleta, preparada.apertura()) == eleccion.marcas(i)


def test_verificar_boleta(medir_con: Callable[..., Any], eleccion: esc.Eleccion, textos: list[Any]) -> None:
    """Camino del servidor: deserializar (rangos y pertenencia por lotes) + verificar_boleta."""
    contexto = eleccion.contexto
    grupo = contexto.grupo

    def recibir(texto: str) -> BoletaCifrada:
        boleta = deserializar(texto, BoletaCifrada, grupo)
        verificar_boleta(contexto, boleta)
        return boleta

    boleta = medir_con(recibir, lambda i: textos[i % len(textos)][0], rondas=10)
    assert boleta in [b for _, b in textos]


def test_verificar_boleta_sin_decodificar(
    medir_con: Callable[..., Any], eleccion: esc.Eleccion, textos: list[Any]
) -> None:
    contexto = eleccion.contexto

    def verificar(boleta: BoletaCifrada) -> bool:
        verificar_boleta(contexto, boleta)
        return True

    assert medir_con(verificar, lambda i: textos[i % len(textos)][1], rondas=10) is True


def test_deserializar_boleta(medir_con: Callable[..., Any], eleccion: esc.Eleccion, textos: list[Any]) -> None:
    grupo = eleccion.contexto.grupo
    i, boleta = medir_con(
        lambda i: (i, deserializar(textos[i % len(textos)][0], BoletaCifrada, grupo)), lambda i: i, rondas=30
    )
    assert boleta == textos[i % len(textos)][1]


def test_serializar_boleta(anotar: Any, eleccion: esc.Eleccion, textos: list[Any]) -> None:
    texto, boleta = textos[0]
    assert anotar(serializar, boleta) == texto
