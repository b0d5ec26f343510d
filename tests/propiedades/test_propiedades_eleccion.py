"""Propiedades del nivel de elección con hypothesis (pocos ejemplos: cada uno cifra y prueba de verdad).

- Para marcas aleatorias dentro de los límites: cifrar → verificar → abrir devuelve las marcas.
- serializar ∘ deserializar = id para boletas (con y sin credencial) y el texto es canónico.
- El escrutinio de boletas aleatorias descifra, con un cuórum aleatorio, a la suma de sus marcas.
- Manifiestos aleatorios válidos: ida y vuelta exacta y bytes canónicos estables.
"""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmre_crypto import (
    BoletaCifrada,
    Contienda,
    EstiloBoleta,
    Manifiesto,
    Opcion,
    abrir_boleta,
    acumular,
    cifrar_boleta,
    descifrar_en_proceso,
    deserializar,
    serializar,
    texto_canonico,
    verificar_boleta,
    verificar_resultado,
)
from vmre_crypto.ejemplo import manifiesto_ejemplo
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.testing.estrategias import marcas_validas

G = GRUPO_ESTANDAR
MANIFIESTO = manifiesto_ejemplo()
POCOS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _completas(estilo: str, marcas: dict[int, tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    return {c: tuple(sorted(marcas.get(c, ()))) for c in MANIFIESTO.estilo(estilo).contiendas}


@POCOS
@given(voto=marcas_validas(MANIFIESTO), con_credencial=st.booleans())
def test_cifrar_verificar_abrir(contexto, credenciales, voto, con_credencial: bool) -> None:
    estilo, marcas = voto
    credencial = credenciales[0] if con_credencial else None
    preparada = cifrar_boleta(contexto, estilo, marcas, credencial)
    verificar_boleta(contexto, preparada.boleta, exigir_credencial=con_credencial)
    assert abrir_boleta(contexto, preparada.boleta, preparada.apertura(), exigir_credencial=con_credencial) == _completas(estilo, marcas)


@POCOS
@given(voto=marcas_validas(MANIFIESTO), con_credencial=st.booleans())
def test_serializar_deserializar_boleta(contexto, credenciales, voto, con_credencial: bool) -> None:
    estilo, marcas = voto
    boleta = cifrar_boleta(contexto, estilo, marcas, credenciales[1] if con_credencial else None).boleta
    texto = serializar(boleta)
    recuperada = deserializar(texto, BoletaCifrada, G)
    assert recuperada == boleta
    assert serializar(recuperada) == texto
    assert deserializar(texto.encode("utf-8"), BoletaCifrada, G) == boleta


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    votos=st.lists(marcas_validas(MANIFIESTO), min_size=0, max_size=4),
    cuorum=st.sampled_from(list(itertools.combinations(range(1, 6), 3))),
)
def test_escrutinio_descifra_a_la_suma_de_las_marcas(
    contexto, registro, llaves, contar_marcas, votos, cuorum
) -> None:
    boletas = [cifrar_boleta(contexto, estilo, marcas).boleta for estilo, marcas in votos]
    escrutinio = acumular(contexto, boletas)
    resultado = descifrar_en_proceso(contexto, registro, [llaves[i] for i in cuorum], escrutinio)
    assert resultado.cuorum == cuorum
    assert resultado.conteos() == contar_marcas([marcas for _, marcas in votos])
    verificar_resultado(contexto, escrutinio, resultado)


@st.composite
def manifiestos(draw: st.DrawFn) -> Manifiesto:
    texto = st.text(min_size=0, max_size=12)
    contiendas = []
    for indice in range(1, draw(st.integers(1, 4)) + 1):
        n = draw(st.integers(1, 6))
        opciones = tuple(Opcion(o, draw(texto)) for o in range(1, n + 1))
        contiendas.append(Contienda(indice, draw(texto), draw(st.integers(1, n)), opciones))
    indices = list(range(1, len(contiendas) + 1))
    estilos = draw(
        st.lists(
            st.tuples(texto, st.lists(st.sampled_from(indices), min_size=1, unique=True)),
            min_size=1,
            max_size=3,
            unique_by=lambda e: e[0],
        )
    )
    return Manifiesto(
        draw(texto), tuple(contiendas), tuple(EstiloBoleta(nombre, tuple(sorted(c))) for nombre, c in estilos)
    )


@settings(max_examples=50, deadline=None)
@given(manifiesto=manifiestos())
def test_manifiesto_ida_y_vuelta(manifiesto: Manifiesto) -> None:
    texto = serializar(manifiesto)
    recuperado = deserializar(texto, Manifiesto, None)
    assert recuperado == manifiesto
    assert serializar(recuperado) == texto
    assert recuperado.bytes_canonicos() == manifiesto.bytes_canonicos()
    documento = json.loads(texto)
    del documento["version"], documento["tipo"]
    assert manifiesto.bytes_canonicos().decode("utf-8") == texto_canonico(documento)
