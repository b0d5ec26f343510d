"""Escrutinio homomórfico de 1000 boletas gubernatura-10 y su descifrado por 3 de 5 custodios."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks import escenario as esc
from vmre_crypto import (
    DescifradorCustodio,
    EscrutinioCifrado,
    ResultadoDescifrado,
    acumular,
    descifrar_en_proceso,
    verificar_resultado,
)
from vmre_crypto.primitivas.elgamal import potencia_de_llave
from vmre_crypto.primitivas.logaritmo import logaritmo_discreto


def _valores(escrutinio: EscrutinioCifrado) -> list[tuple[int, int]]:
    return [(int(c.alfa.valor), int(c.beta.valor)) for _, _, c in escrutinio.cifrados()]


def test_acumular_1000(
    anotar: Any, gubernatura: esc.Eleccion, mil_boletas: list[Any], escrutinio_mil: EscrutinioCifrado
) -> None:
    escrutinio = anotar.pedantic(acumular, args=(gubernatura.contexto, mil_boletas), rounds=5, warmup_rounds=1)
    assert escrutinio.contiendas[0].boletas == len(mil_boletas)
    assert _valores(escrutinio) == _valores(escrutinio_mil)


def test_descifrado_parcial_un_custodio(
    anotar: Any, gubernatura: esc.Eleccion, escrutinio_mil: EscrutinioCifrado, llaves_presentes: list[Any]
) -> None:
    """Ronda 1 de un custodio del cuórum anunciado U = PRESENTES.

    M_i = A^(w_i·P(i)) (powmod_sec), g^(u_i) y A^(u_i) por opción.
    """
    contexto = gubernatura.contexto
    parcial = anotar.pedantic(
        lambda: DescifradorCustodio(contexto, llaves_presentes[0]).descifrado_parcial(escrutinio_mil, esc.PRESENTES),
        rounds=5,
    )
    assert (parcial.custodio, parcial.cuorum) == (esc.PRESENTES[0], esc.PRESENTES)
    assert len(parcial.partes) == len(escrutinio_mil.cifrados())


def test_descifrar_3_de_5(
    anotar: Any,
    gubernatura: esc.Eleccion,
    escrutinio_mil: EscrutinioCifrado,
    llaves_presentes: list[Any],
    conteos_mil: dict[int, dict[int, int]],
) -> None:
    """descifrar_en_proceso: parciales, compromisos, retos, respuestas, prueba conjunta y logaritmo."""
    resultado = anotar.pedantic(
        descifrar_en_proceso,
        args=(gubernatura.contexto, gubernatura.registro, llaves_presentes, escrutinio_mil),
        rounds=3,
    )
    assert resultado.cuorum == esc.PRESENTES
    assert resultado.conteos() == conteos_mil


def test_verificar_resultado(
    anotar: Any,
    gubernatura: esc.Eleccion,
    escrutinio_mil: EscrutinioCifrado,
    resultado_mil: ResultadoDescifrado,
) -> None:
    """V9 + V10 de las 10 opciones, como lo haría un verificador independiente."""
    anotar.pedantic(verificar_resultado, args=(gubernatura.contexto, escrutinio_mil, resultado_mil), rounds=5)


def test_descifrar_y_verificar_3_de_5(
    anotar: Any,
    gubernatura: esc.Eleccion,
    escrutinio_mil: EscrutinioCifrado,
    llaves_presentes: list[Any],
    conteos_mil: dict[int, dict[int, int]],
) -> None:
    """La cifra decrypt_tally_3of5 de ``python -m benchmarks``."""
    contexto = gubernatura.contexto

    def descifrar_y_verificar() -> ResultadoDescifrado:
        resultado = descifrar_en_proceso(contexto, gubernatura.registro, llaves_presentes, escrutinio_mil)
        verificar_resultado(contexto, escrutinio_mil, resultado)
        return resultado

    assert anotar.pedantic(descifrar_y_verificar, rounds=3).conteos() == conteos_mil


def test_logaritmo_discreto_cota_1000(medir_con: Callable[..., Any], gubernatura: esc.Eleccion) -> None:
    """Paso de bebé–paso de gigante para un conteo ≤ 1000 (se hace una vez por opción)."""
    llave = gubernatura.contexto.llave
    objetivos = [(t, potencia_de_llave(llave, t)) for t in (0, 1, 100, 517, 999, 1000)]
    t, encontrado = medir_con(
        lambda caso: (caso[0], logaritmo_discreto(caso[1], llave, 1000)),
        lambda i: objetivos[i % len(objetivos)],
        rondas=30,
    )
    assert encontrado == t
