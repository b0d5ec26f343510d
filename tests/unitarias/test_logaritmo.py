"""Logaritmo discreto acotado (paso de bebé–paso de gigante)."""

from __future__ import annotations

import pytest

from vmre_crypto.errores import ErrorDescifrado, Motivo
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.logaritmo import logaritmo_discreto

G = GRUPO_ESTANDAR


@pytest.fixture(scope="module")
def base():
    return G.g_a_la(G.aleatorio_q())


@pytest.mark.parametrize("cota", [0, 1, 2, 3, 4, 8, 9, 10, 99, 100, 1000, 12345])
def test_encuentra_0_1_y_la_cota(base, cota: int) -> None:
    for t in sorted({0, min(1, cota), cota // 2, cota}):
        assert logaritmo_discreto(base**t, base, cota) == t


@pytest.mark.parametrize("cota", [0, 1, 2, 3, 15, 16, 17, 24, 25, 26])
def test_todos_los_valores_hasta_la_cota(base, cota: int) -> None:
    for t in range(cota + 1):
        assert logaritmo_discreto(base**t, base, cota) == t


@pytest.mark.parametrize("cota", [0, 1, 2, 3, 8, 15, 24, 99, 1000])
def test_por_encima_de_la_cota_falla(base, cota: int) -> None:
    for t in (cota + 1, cota + 2, 2 * cota + 5, (cota + 2) ** 2):
        with pytest.raises(ErrorDescifrado) as e:
            logaritmo_discreto(base**t, base, cota)
        assert e.value.motivo is Motivo.LOGARITMO_FUERA_DE_COTA
        assert e.value.detalles == {"cota": cota}


def test_exponentes_grandes_y_elementos_ajenos(base) -> None:
    for objetivo in (base ** (G.q - 1), base ** (2**200), G.g_a_la(G.aleatorio_q()), G.generador):
        with pytest.raises(ErrorDescifrado) as e:
            logaritmo_discreto(objetivo, base, 5000)
        assert e.value.motivo is Motivo.LOGARITMO_FUERA_DE_COTA


def test_con_base_g() -> None:
    assert logaritmo_discreto(G.g_a_la(777), G.generador, 1000) == 777
    assert logaritmo_discreto(G.uno, G.generador, 0) == 0


def test_cota_negativa(base) -> None:
    with pytest.raises(ValueError):
        logaritmo_discreto(base, base, -1)
