"""Boletas de ``vmre.js`` frente a ``vmre_crypto``: idénticas byte a byte, aceptadas y rechazadas igual.

Una sola página para todo el módulo.

1. (23.1) Con la misma semilla (``con_semilla`` en Python, ``FuenteDeterminista`` de
   ``fuente_determinista.js`` en JavaScript), ``cifrar_boleta`` y ``cifrarBoleta`` dan el mismo
   JSON canónico: con y sin credencial, en varios estilos, con contiendas de límite 2 y 3, y en
   una prueba de propiedades sobre marcas válidas al azar.
2. Una boleta hecha en el navegador con azar real (``crypto.getRandomValues``) la acepta
   ``verificar_boleta``; alterar UN campo la hace rechazar en Python y en JavaScript
   (``verificarBoleta``, 23.10) con el mismo código (el ``Motivo`` de Python).
3. Apertura de Benaloh (§8.9): una boleta desafiada en Python se abre en JavaScript y al revés;
   una apertura alterada da ``apertura_invalida`` en los dos lados.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_js import URL_FUENTE_DETERMINISTA, EleccionNavegador, PaginaVmre, boleta_desde_json, verificar_en_python

from vmre_crypto import (
    GRUPO_ESTANDAR,
    AperturaBoleta,
    ErrorVMRE,
    abrir_boleta,
    cifrar_boleta,
    deserializar,
    serializar,
    verificar_boleta,
)
from vmre_crypto.serializacion import texto_canonico
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR

#: Prefijo de cada evaluación: el contexto (decodificado una vez por página) y la fuente determinista.
PREPARAR_JS = f"""
const ctx = (globalThis.contextoBoletas ??= vmre.contextoDesdeJson(arg.contexto));
const {{ FuenteDeterminista }} = await importar("{URL_FUENTE_DETERMINISTA}");
const credencial = (texto) => (texto === null ? null : vmre.leerCredencial(texto));
"""

#: Cifra con la fuente determinista cada caso de ``arg.casos`` y devuelve el texto canónico.
CIFRAR_DETERMINISTA_JS = (
    PREPARAR_JS
    + """
return arg.casos.map((c) => {
  const r = vmre.cifrarBoleta(ctx, c.estilo, c.marcas, credencial(c.credencial), { azar: new FuenteDeterminista(c.semilla) });
  return { texto: vmre.textoCanonico(r.boleta), nonce: hex(r.nonceBoleta), codigo: r.codigo };
});
"""
)


def _marcas_js(marcas: dict[int, tuple[int, ...]]) -> dict[str, list[int]]:
    return {str(c): list(o) for c, o in marcas.items()}


def _comparar_con_python(
    pagina: PaginaVmre,
    eleccion: EleccionNavegador,
    casos: list[tuple[str, str, dict[int, tuple[int, ...]], int | None]],
) -> None:
    """Cada caso (semilla, estilo, marcas, índice de credencial o None) cifrado en los dos lados."""
    salidas = pagina.js(
        CIFRAR_DETERMINISTA_JS,
        {
            "contexto": eleccion.contexto_json,
            "casos": [
                {
                    "semilla": semilla,
                    "estilo": estilo,
                    "marcas": _marcas_js(marcas),
                    "credencial": None if cred is None else eleccion.texto_credencial(cred),
                }
                for semilla, estilo, marcas, cred in casos
            ],
        },
    )
    for (semilla, estilo, marcas, cred), salida in zip(casos, salidas, strict=True):
        with con_semilla(semilla):
            preparada = cifrar_boleta(
                eleccion.contexto, estilo, marcas, None if cred is None else eleccion.credenciales[cred]
            )
        assert salida["texto"] == serializar(preparada.boleta), (semilla, estilo, marcas, cred)
        assert salida["nonce"] == preparada.nonce_boleta.hex().upper()
        assert salida["codigo"] == preparada.boleta.codigo_confirmacion.hex().upper()


# -- 1. idénticas byte a byte ------------------------------------------------------------------
CASOS_DETERMINISTAS: list[tuple[str, str, dict[int, tuple[int, ...]], int | None]] = [
    ("boleta-1", "NORTE", {1: (3,), 2: (1, 4)}, 0),
    ("boleta-2", "SUR", {1: (), 2: (2,)}, None),  # sin credencial, contienda 1 en blanco
    ("boleta-3", "CDMX", {2: (1, 2), 3: (1,), 4: (1, 3, 5)}, 1),  # límites 2 y 3 llenos
    ("boleta-4", "UNICO", {}, 2),  # en blanco: la contienda del estilo se cifra vacía
    ("boleta-5", "CDMX", {4: (5,)}, None),
    ("semilla con acentos: año ñandú", "NORTE", {1: (6,)}, 1),
]


def test_boletas_identicas_byte_a_byte(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    _comparar_con_python(pagina_vmre, eleccion, CASOS_DETERMINISTAS)


@st.composite
def _boletas(draw: st.DrawFn, eleccion: EleccionNavegador) -> tuple[str, str, dict[int, tuple[int, ...]], int | None]:
    manifiesto = eleccion.contexto.manifiesto
    estilo = draw(st.sampled_from(manifiesto.estilos))
    marcas: dict[int, tuple[int, ...]] = {}
    for indice in estilo.contiendas:
        contienda = manifiesto.contienda(indice)
        if draw(st.booleans()):  # a veces la contienda ni siquiera aparece en las marcas
            opciones = [o.indice for o in contienda.opciones]
            elegidas = draw(st.lists(st.sampled_from(opciones), unique=True, max_size=contienda.limite_seleccion))
            marcas[indice] = tuple(elegidas)  # en el orden en que se eligieron, no necesariamente creciente
    credencial = draw(st.one_of(st.none(), st.integers(0, len(eleccion.credenciales) - 1)))
    semilla = draw(st.text(min_size=0, max_size=12))
    return semilla, estilo.identificador, marcas, credencial


def test_propiedad_marcas_validas_dan_la_misma_boleta(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    """Propiedad: para cualesquiera marcas válidas, estilo, credencial y semilla, JS = Python."""

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(caso=_boletas(eleccion))
    def propiedad(caso: tuple[str, str, dict[int, tuple[int, ...]], int | None]) -> None:
        _comparar_con_python(pagina_vmre, eleccion, [caso])

    propiedad()


@pytest.mark.parametrize(
    ("estilo", "marcas", "codigo"),
    [
        ("NORTE", {1: (7,)}, "seleccion_invalida"),  # la opción no existe
        ("NORTE", {1: (0,)}, "seleccion_invalida"),
        ("NORTE", {2: (1, 1)}, "seleccion_invalida"),  # marcada dos veces
        ("NORTE", {1: (1, 2)}, "limite_excedido"),
        ("CDMX", {4: (1, 2, 3, 4)}, "limite_excedido"),
        ("NORTE", {3: (1,)}, "boleta_no_corresponde_al_manifiesto"),  # contienda de otro estilo
    ],
)
def test_marcas_invalidas_mismo_error(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, estilo: str, marcas: dict[int, tuple[int, ...]], codigo: str
) -> None:
    with pytest.raises(ErrorVMRE) as info:
        cifrar_boleta(eleccion.contexto, estilo, marcas, eleccion.credenciales[0])
    assert info.value.motivo.value == codigo
    error = pagina_vmre.error_js(
        PREPARAR_JS + "vmre.cifrarBoleta(ctx, arg.estilo, arg.marcas, credencial(arg.credencial));",
        {
            "contexto": eleccion.contexto_json,
            "estilo": estilo,
            "marcas": _marcas_js(marcas),
            "credencial": eleccion.texto_credencial(0),
        },
    )
    assert error.codigo == codigo


# -- 2. azar real: aceptadas por Python; un campo alterado, rechazadas igual --------------------------
@pytest.fixture(scope="module")
def boleta_del_navegador(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> dict[str, Any]:
    """Boleta NORTE con credencial, cifrada con ``azarDelNavegador`` (el azar por omisión)."""
    return pagina_vmre.js(  # type: ignore[no-any-return]
        PREPARAR_JS
        + """const r = vmre.cifrarBoleta(ctx, "NORTE", { "1": [2], "2": [1, 3] }, credencial(arg.credencial));
             return { boleta: r.boleta, nonce: hex(r.nonceBoleta), codigo: r.codigo };""",
        {"contexto": eleccion.contexto_json, "credencial": eleccion.texto_credencial(0)},
    )


def test_boletas_del_navegador_aceptadas_por_python(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, boleta_del_navegador: dict[str, Any]
) -> None:
    otras = pagina_vmre.js(
        PREPARAR_JS
        + """return [
               vmre.cifrarBoleta(ctx, "NORTE", { "1": [2], "2": [1, 3] }, credencial(arg.credencial)).boleta,
               vmre.cifrarBoleta(ctx, "CDMX", { "2": [4], "4": [2, 3, 5] }, credencial(arg.credencial)).boleta,
               vmre.cifrarBoleta(ctx, "UNICO", {}, null).boleta,
             ];""",
        {"contexto": eleccion.contexto_json, "credencial": eleccion.texto_credencial(1)},
    )
    boleta = verificar_en_python(eleccion.contexto, boleta_del_navegador["boleta"])
    assert boleta.codigo_confirmacion.hex().upper() == boleta_del_navegador["codigo"]
    assert boleta.credencial == eleccion.credenciales[0].publica
    # Las mismas marcas con otro azar dan otra boleta (otro ξ_B, otro id, otros cifrados).
    assert otras[0]["id_boleta"] != boleta.id_boleta
    assert (
        otras[0]["contiendas"][0]["selecciones"][0] != boleta_del_navegador["boleta"]["contiendas"][0]["selecciones"][0]
    )
    for documento in otras[:2]:
        verificar_en_python(eleccion.contexto, documento)
    # Sin credencial: válida para una elección sin credenciales, rechazada si se exigen (V-C1).
    sin_credencial = boleta_desde_json(otras[2])
    verificar_boleta(eleccion.contexto, sin_credencial, exigir_credencial=False)
    with pytest.raises(ErrorVMRE) as info:
        verificar_boleta(eleccion.contexto, sin_credencial)
    assert info.value.motivo.value == "firma_credencial_invalida"
    # Las boletas del navegador se verifican también en el navegador (la boleta completa, V-C1 incluida).
    pagina_vmre.js(
        PREPARAR_JS + "for (const b of arg.boletas) vmre.verificarBoleta(ctx, b); return true;",
        {"contexto": eleccion.contexto_json, "boletas": [boleta_del_navegador["boleta"], *otras[:2]]},
    )


def _mas_uno_q(valor: str) -> str:
    return format((int(valor, 16) + 1) % G.q, "X").rjust(64, "0")


def _por_g(valor: str) -> str:
    """Otro elemento del subgrupo (valor·g): pasa la decodificación, falla en la prueba."""
    return format(int(valor, 16) * G.g % G.p, "X").rjust(1024, "0")


def _seleccion(d: dict[str, Any], contienda: int = 1, opcion: int = 1) -> dict[str, Any]:
    return d["contiendas"][contienda]["selecciones"][opcion]  # type: ignore[no-any-return]


def _cambiar(d: dict[str, Any], ruta: tuple[Any, ...], funcion: Callable[[Any], Any]) -> None:
    objeto = d
    for paso in ruta[:-1]:
        objeto = objeto[paso]
    objeto[ruta[-1]] = funcion(objeto[ruta[-1]])


SEL = ("contiendas", 1, "selecciones", 2)  # contienda 2 (límite 2), opción 3 (marcada)
MUTACIONES: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "reto_de_una_seleccion": (lambda d: _cambiar(d, (*SEL, "prueba", "retos", 0), _mas_uno_q), "prueba_rango_invalida"),
    "respuesta_de_una_seleccion": (
        lambda d: _cambiar(d, (*SEL, "prueba", "respuestas", 1), _mas_uno_q),
        "prueba_rango_invalida",
    ),
    "reto_de_la_prueba_de_limite": (
        lambda d: _cambiar(d, ("contiendas", 1, "prueba_limite", "retos", 2), _mas_uno_q),
        "prueba_rango_invalida",
    ),
    "prueba_con_un_reto_de_menos": (
        lambda d: _cambiar(d, (*SEL, "prueba", "retos"), lambda r: r[:1]),
        "prueba_rango_invalida",
    ),
    "alfa": (lambda d: _cambiar(d, (*SEL, "cifrado", "alfa"), _por_g), "prueba_rango_invalida"),
    "beta": (lambda d: _cambiar(d, (*SEL, "cifrado", "beta"), _por_g), "prueba_rango_invalida"),
    "alfa_fuera_del_subgrupo": (
        lambda d: _cambiar(d, (*SEL, "cifrado", "alfa"), lambda _: format(G.p - 1, "X")),
        "no_es_miembro_subgrupo",
    ),
    "reto_no_reducido": (
        lambda d: _cambiar(d, (*SEL, "prueba", "retos", 0), lambda _: format(G.q, "X")),
        "fuera_de_rango_q",
    ),
    "hex_en_minusculas": (lambda d: _cambiar(d, (*SEL, "cifrado", "beta"), str.lower), "formato_invalido"),
    "hash_de_contienda": (
        lambda d: _cambiar(d, ("contiendas", 0, "hash_contienda"), lambda h: ("0" if h[0] != "0" else "1") + h[1:]),
        "hash_contienda_invalido",
    ),
    "codigo": (
        lambda d: _cambiar(d, ("codigo_confirmacion",), lambda h: h[:-1] + ("0" if h[-1] != "0" else "1")),
        "codigo_confirmacion_invalido",
    ),
    "firma_reto": (lambda d: _cambiar(d, ("firma", "reto"), _mas_uno_q), "firma_credencial_invalida"),
    "firma_respuesta": (lambda d: _cambiar(d, ("firma", "respuesta"), _mas_uno_q), "firma_credencial_invalida"),
    "sin_firma": (lambda d: d.update(firma=None), "firma_credencial_invalida"),
    "credencial_de_otro": (lambda d: _cambiar(d, ("credencial",), _por_g), "codigo_confirmacion_invalido"),
    "estilo_con_las_mismas_contiendas": (lambda d: d.update(estilo="SUR"), "codigo_confirmacion_invalido"),
    "estilo_con_otras_contiendas": (lambda d: d.update(estilo="CDMX"), "boleta_no_corresponde_al_manifiesto"),
    "estilo_inexistente": (lambda d: d.update(estilo="OESTE"), "boleta_no_corresponde_al_manifiesto"),
    "id": (lambda d: d.update(id_boleta="0123456789ABCDEF" * 2), "codigo_confirmacion_invalido"),
    "una_seleccion_de_menos": (
        lambda d: _cambiar(d, ("contiendas", 0, "selecciones"), lambda s: s[:-1]),
        "boleta_no_corresponde_al_manifiesto",
    ),
    "contiendas_en_otro_orden": (
        lambda d: _cambiar(d, ("contiendas",), lambda c: c[::-1]),
        "boleta_no_corresponde_al_manifiesto",
    ),
}


@pytest.mark.parametrize("mutacion", list(MUTACIONES))
def test_un_campo_alterado_rechazado_con_el_mismo_motivo(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, boleta_del_navegador: dict[str, Any], mutacion: str
) -> None:
    alterar, codigo = MUTACIONES[mutacion]
    documento = copy.deepcopy(boleta_del_navegador["boleta"])
    alterar(documento)
    assert documento != boleta_del_navegador["boleta"]
    with pytest.raises(ErrorVMRE) as info:
        verificar_en_python(eleccion.contexto, documento)
    assert info.value.motivo.value == codigo
    error = pagina_vmre.error_js(
        PREPARAR_JS + "vmre.verificarBoleta(ctx, arg.boleta);",
        {"contexto": eleccion.contexto_json, "boleta": documento},
    )
    assert error.codigo == codigo, error.mensaje


#: Documentos mal formados (no un valor alterado, sino la forma): los dos lados los rechazan con el
#: mismo código, porque documentos.js decodifica como vmre_crypto.serializacion (§10, (23.2)).
FORMAS_INVALIDAS: list[Any] = [
    pytest.param(lambda d: d.update(version="vmre-2.0"), "version_no_soportada", id="version"),
    pytest.param(lambda d: d.update(tipo="apertura_boleta"), "tipo_invalido", id="tipo"),
    pytest.param(
        lambda d: _cambiar(d, (*SEL, "cifrado", "alfa"), lambda _: "0" * 1024), "fuera_de_rango_p", id="alfa-0"
    ),
    pytest.param(
        lambda d: d["contiendas"].append(copy.deepcopy(d["contiendas"][1])),
        "boleta_no_corresponde_al_manifiesto",
        id="contienda-repetida",
    ),
    pytest.param(lambda d: d.pop("firma"), "campo_faltante", id="sin-campo-firma"),
    pytest.param(lambda d: d.pop("credencial"), "campo_faltante", id="sin-campo-credencial"),
    pytest.param(lambda d: _cambiar(d, ("contiendas", 0, "indice"), str), "tipo_invalido", id="indice-como-texto"),
    pytest.param(
        lambda d: _cambiar(d, (*SEL, "prueba", "retos", 0), lambda _: 5), "formato_invalido", id="reto-como-numero"
    ),
    pytest.param(
        lambda d: _cambiar(d, ("codigo_confirmacion",), lambda c: c[:62]),
        "codigo_confirmacion_invalido",
        id="codigo-corto",
    ),
    pytest.param(lambda d: d.update(extra=1), "campo_desconocido", id="campo-desconocido"),
    pytest.param(
        lambda d: _cambiar(d, SEL, lambda s: {**s, "marca": 1}),
        "campo_desconocido",
        id="campo-desconocido-en-seleccion",
    ),
]


@pytest.mark.parametrize(("deformar", "codigo"), FORMAS_INVALIDAS)
def test_documento_mal_formado_rechazado_en_los_dos_lados(
    pagina_vmre: PaginaVmre,
    eleccion: EleccionNavegador,
    boleta_del_navegador: dict[str, Any],
    deformar: Callable[[dict[str, Any]], Any],
    codigo: str,
) -> None:
    documento = copy.deepcopy(boleta_del_navegador["boleta"])
    deformar(documento)
    with pytest.raises(ErrorVMRE) as info:
        verificar_en_python(eleccion.contexto, documento)
    error = pagina_vmre.error_js(
        PREPARAR_JS + "vmre.verificarBoleta(ctx, arg.boleta);",
        {"contexto": eleccion.contexto_json, "boleta": documento},
    )
    assert info.value.motivo.value == error.codigo == codigo, error.mensaje


# -- 3. apertura de Benaloh ------------------------------------------------------------------------
CASOS_APERTURA: list[tuple[str, dict[int, tuple[int, ...]]]] = [
    ("NORTE", {1: (4,), 2: (2, 3)}),
    ("CDMX", {2: (), 3: (2,), 4: (1, 4, 5)}),
    ("UNICO", {}),
]


def test_boleta_desafiada_en_python_abierta_en_javascript(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador) -> None:
    casos = []
    for i, (estilo, marcas) in enumerate(CASOS_APERTURA):
        with con_semilla(f"vmre-navegador/apertura-{i}"):
            preparada = cifrar_boleta(eleccion.contexto, estilo, marcas, eleccion.credenciales[i])
        casos.append((preparada, marcas))
    abiertas = pagina_vmre.js(
        PREPARAR_JS + "return arg.casos.map(([b, a]) => vmre.abrirBoleta(ctx, b, a));",
        {
            "contexto": eleccion.contexto_json,
            "casos": [(json.loads(serializar(p.boleta)), json.loads(serializar(p.apertura()))) for p, _ in casos],
        },
    )
    for (preparada, marcas), abierta in zip(casos, abiertas, strict=True):
        estilo = eleccion.contexto.manifiesto.estilo(preparada.boleta.estilo)
        assert abierta == {str(c): list(sorted(marcas.get(c, ()))) for c in estilo.contiendas}


def _apertura_python(documento: dict[str, Any]) -> AperturaBoleta:
    return deserializar(texto_canonico(documento), AperturaBoleta, G)


ALTERACIONES_APERTURA: dict[str, Callable[[dict[str, Any]], Any]] = {
    "un_bit_del_nonce": lambda a: a.update(nonce_boleta=format(int(a["nonce_boleta"], 16) ^ 1, "X").rjust(64, "0")),
    "nonce_de_otra_boleta": lambda a: a.update(nonce_boleta="AB" * 32),
    "otro_id": lambda a: a.update(id_boleta="FEDCBA9876543210" * 2),
    "nonce_corto": lambda a: a.update(nonce_boleta=a["nonce_boleta"][:62]),
}


@pytest.mark.parametrize("alteracion", list(ALTERACIONES_APERTURA))
def test_apertura_alterada_rechazada(pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, alteracion: str) -> None:
    with con_semilla("vmre-navegador/apertura-alterada"):
        preparada = cifrar_boleta(eleccion.contexto, "CDMX", {2: (1,), 4: (2, 3)}, eleccion.credenciales[0])
    apertura = json.loads(serializar(preparada.apertura()))
    ALTERACIONES_APERTURA[alteracion](apertura)
    with pytest.raises(ErrorVMRE) as info:
        abrir_boleta(eleccion.contexto, preparada.boleta, _apertura_python(apertura))
    assert info.value.motivo.value == "apertura_invalida"
    error = pagina_vmre.error_js(
        PREPARAR_JS + "vmre.abrirBoleta(ctx, arg.boleta, arg.apertura);",
        {"contexto": eleccion.contexto_json, "boleta": json.loads(serializar(preparada.boleta)), "apertura": apertura},
    )
    assert error.codigo == "apertura_invalida", error.mensaje


def test_boleta_del_navegador_abierta_en_python(
    pagina_vmre: PaginaVmre, eleccion: EleccionNavegador, boleta_del_navegador: dict[str, Any]
) -> None:
    """``aperturaJson`` de JavaScript con el ξ_B de la boleta: Python la abre y lee las marcas."""
    apertura = pagina_vmre.js(
        "return vmre.aperturaJson(arg.id, bytes(arg.nonce));",
        {"id": boleta_del_navegador["boleta"]["id_boleta"], "nonce": boleta_del_navegador["nonce"]},
    )
    assert apertura["tipo"] == "apertura_boleta" and apertura["version"] == "vmre-1.0"
    boleta = boleta_desde_json(boleta_del_navegador["boleta"])
    assert abrir_boleta(eleccion.contexto, boleta, _apertura_python(apertura)) == {1: (2,), 2: (1, 3)}
