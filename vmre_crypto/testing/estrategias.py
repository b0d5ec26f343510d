"""Estrategias de hypothesis para probar código que usa vmre_crypto (se distribuyen con la biblioteca).

Sesgadas hacia los bordes: 0, 1, q−1 y valores aleatorios.  Requieren ``hypothesis``
(extra ``test``).
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..manifiesto import Manifiesto
from ..primitivas.grupo import GRUPO_ESTANDAR, ElementoQ, Grupo

__all__ = ["elementos_q", "marcas_validas"]


def elementos_q(grupo: Grupo = GRUPO_ESTANDAR) -> st.SearchStrategy[ElementoQ]:
    """Elementos de Z_q con los bordes 0, 1, 2 y q−1 sobrerrepresentados."""
    q = int(grupo.q)
    bordes = st.sampled_from([0, 1, 2, q - 2, q - 1])
    return st.one_of(bordes, st.integers(min_value=0, max_value=q - 1)).map(lambda x: ElementoQ(x, grupo))


@st.composite
def marcas_validas(draw: st.DrawFn, manifiesto: Manifiesto) -> tuple[str, dict[int, tuple[int, ...]]]:
    """Un estilo y marcas dentro de los límites de cada contienda (incluidas contiendas vacías)."""
    estilo = draw(st.sampled_from(manifiesto.estilos))
    marcas: dict[int, tuple[int, ...]] = {}
    for indice in estilo.contiendas:
        contienda = manifiesto.contienda(indice)
        opciones = [o.indice for o in contienda.opciones]
        elegidas = draw(st.lists(st.sampled_from(opciones), unique=True, max_size=contienda.limite_seleccion))
        marcas[indice] = tuple(sorted(elegidas))
    return estilo.identificador, marcas
