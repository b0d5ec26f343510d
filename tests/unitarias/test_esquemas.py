"""Esquemas JSON de los documentos del registro (especificacion/esquemas, §14).

Cada línea de un registro generado por la elección de ejemplo valida contra el esquema de la
línea y cada documento contra el de su tipo; los esquemas tienen exactamente los campos de las
dataclasses, y los documentos mal formados (campo sobrante, hexadecimal en minúsculas, campo
faltante, …) se rechazan.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vmre_crypto.boletas import AperturaBoleta, BoletaCifrada, ContiendaCifrada, SeleccionCifrada
from vmre_crypto.ceremonia import CompromisosCustodio, RegistroLlaves
from vmre_crypto.descifrado import (
    DescifradoParcial,
    OpcionDescifrada,
    ParteDescifrado,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
)
from vmre_crypto.ejemplo import correr_ejemplo
from vmre_crypto.eleccion import ConfiguracionEleccion
from vmre_crypto.escrutinio import EscrutinioCifrado, EscrutinioContienda
from vmre_crypto.manifiesto import Contienda, EstiloBoleta, Manifiesto, Opcion
from vmre_crypto.primitivas.elgamal import Cifrado
from vmre_crypto.primitivas.pruebas_zk.descifrado import PruebaDescifrado
from vmre_crypto.primitivas.pruebas_zk.firma import FirmaSchnorr
from vmre_crypto.primitivas.pruebas_zk.rango import PruebaRango
from vmre_crypto.primitivas.pruebas_zk.schnorr import PruebaSchnorr
from vmre_crypto.registro.documentos import (
    ActaComputo,
    ActaInicio,
    BoletaDesafiada,
    ListaCredenciales,
    ParteCredenciales,
    ResultadoContienda,
)
from vmre_crypto.registro.tablero import EntradaTablero
from vmre_crypto.serializacion import nombre_tipo

# jsonschema (con referencing) debe estar en el extra «test» de setup.py; sin él, estas pruebas se omiten.
jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")
referencing_jsonschema = pytest.importorskip("referencing.jsonschema")

DIRECTORIO = Path(__file__).resolve().parents[2] / "especificacion" / "esquemas"

#: Documentos de nivel superior que aparecen en el tablero, en el orden de §14.3.
DOCUMENTOS: tuple[type, ...] = (
    ConfiguracionEleccion,
    CompromisosCustodio,
    RegistroLlaves,
    ListaCredenciales,
    ParteCredenciales,
    ActaInicio,
    BoletaCifrada,
    BoletaDesafiada,
    EscrutinioCifrado,
    DescifradoParcial,
    RetosDescifrado,
    RespuestaDescifrado,
    ResultadoDescifrado,
    ActaComputo,
)

#: Objetos anidados: nombre en comun.schema.json → dataclass.
ANIDADOS: dict[str, type] = {
    "Opcion": Opcion,
    "Contienda": Contienda,
    "EstiloBoleta": EstiloBoleta,
    "Manifiesto": Manifiesto,
    "PruebaSchnorr": PruebaSchnorr,
    "Cifrado": Cifrado,
    "PruebaRango": PruebaRango,
    "FirmaSchnorr": FirmaSchnorr,
    "SeleccionCifrada": SeleccionCifrada,
    "ContiendaCifrada": ContiendaCifrada,
    "CompromisosCustodio": CompromisosCustodio,
    "BoletaCifrada": BoletaCifrada,
    "AperturaBoleta": AperturaBoleta,
    "EscrutinioContienda": EscrutinioContienda,
    "ParteDescifrado": ParteDescifrado,
    "PruebaDescifrado": PruebaDescifrado,
    "OpcionDescifrada": OpcionDescifrada,
    "ResultadoContienda": ResultadoContienda,
    "EntradaTablero": EntradaTablero,
}


def _cargar(nombre: str) -> dict[str, Any]:
    datos: dict[str, Any] = json.loads((DIRECTORIO / nombre).read_text(encoding="utf-8"))
    return datos


ESQUEMAS: dict[str, dict[str, Any]] = {p.name: _cargar(p.name) for p in sorted(DIRECTORIO.glob("*.schema.json"))}
REGISTRO = referencing.Registry().with_resources(
    (nombre, referencing_jsonschema.DRAFT202012.create_resource(esquema)) for nombre, esquema in ESQUEMAS.items()
)


def _validador(nombre: str) -> Any:
    return jsonschema.Draft202012Validator(ESQUEMAS[nombre], registry=REGISTRO)


def _campos(clase: type) -> set[str]:
    return {f.name for f in dataclasses.fields(clase) if not f.name.startswith("_")}


@pytest.fixture(scope="module")
def lineas(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    salida = tmp_path_factory.mktemp("registro")
    correr_ejemplo(boletas=4, desafios=1, semilla=5, salida=salida)
    texto = (salida / "tablero.jsonl").read_text(encoding="utf-8")
    return [json.loads(linea) for linea in texto.splitlines()]


def _documento(lineas: list[dict[str, Any]], tipo: str) -> dict[str, Any]:
    objeto: dict[str, Any] = next(linea["objeto"] for linea in lineas if linea["entrada"]["tipo"] == tipo)
    return copy.deepcopy(objeto)


# -- los esquemas mismos -----------------------------------------------------------------------


def test_hay_un_esquema_por_documento_mas_linea_y_comun() -> None:
    esperados = {f"{nombre_tipo(c)}.schema.json" for c in DOCUMENTOS} | {
        "comun.schema.json",
        "linea_tablero.schema.json",
    }
    assert set(ESQUEMAS) == esperados


@pytest.mark.parametrize("nombre", sorted(ESQUEMAS))
def test_cada_esquema_es_draft_2020_12_valido(nombre: str) -> None:
    esquema = ESQUEMAS[nombre]
    assert esquema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert esquema["$id"] == nombre
    jsonschema.Draft202012Validator.check_schema(esquema)


def _objetos(nodo: Any) -> Iterator[dict[str, Any]]:
    if isinstance(nodo, dict):
        if nodo.get("type") == "object":
            yield nodo
        for valor in nodo.values():
            yield from _objetos(valor)
    elif isinstance(nodo, list):
        for valor in nodo:
            yield from _objetos(valor)


def test_todo_objeto_cerrado_con_additional_properties_false() -> None:
    for nombre, esquema in ESQUEMAS.items():
        for objeto in _objetos(esquema):
            if "properties" in objeto:
                assert objeto.get("additionalProperties") is False, nombre
                assert set(objeto["required"]) == set(objeto["properties"]), nombre


@pytest.mark.parametrize("clase", DOCUMENTOS, ids=nombre_tipo)
def test_documento_tiene_los_campos_de_su_dataclass(clase: type) -> None:
    esquema = ESQUEMAS[f"{nombre_tipo(clase)}.schema.json"]
    assert set(esquema["properties"]) == _campos(clase) | {"version", "tipo"}
    assert esquema["properties"]["tipo"] == {"const": nombre_tipo(clase)}
    assert esquema["properties"]["version"] == {"$ref": "comun.schema.json#/$defs/version"}


@pytest.mark.parametrize("nombre", sorted(ANIDADOS))
def test_objeto_anidado_tiene_los_campos_de_su_dataclass(nombre: str) -> None:
    definicion = ESQUEMAS["comun.schema.json"]["$defs"][nombre]
    assert set(definicion["properties"]) == _campos(ANIDADOS[nombre])


# -- un registro real valida -------------------------------------------------------------------


def test_cada_linea_del_registro_valida(lineas: list[dict[str, Any]]) -> None:
    linea_tablero = _validador("linea_tablero.schema.json")
    vistos = set()
    for linea in lineas:
        linea_tablero.validate(linea)
        tipo = linea["entrada"]["tipo"]
        _validador(f"{tipo}.schema.json").validate(linea["objeto"])
        vistos.add(tipo)
    assert vistos == {nombre_tipo(c) for c in DOCUMENTOS}


# -- documentos mal formados se rechazan -------------------------------------------------------


def _rechaza(nombre: str, documento: Any) -> None:
    errores = list(_validador(nombre).iter_errors(documento))
    assert errores, f"{nombre} aceptó un documento mal formado"


def test_rechaza_campo_sobrante(lineas: list[dict[str, Any]]) -> None:
    acta = _documento(lineas, "acta_inicio")
    acta["extra"] = 1
    _rechaza("acta_inicio.schema.json", acta)
    boleta = _documento(lineas, "boleta_cifrada")
    boleta["contiendas"][0]["selecciones"][0]["cifrado"]["gamma"] = boleta["credencial"]
    _rechaza("boleta_cifrada.schema.json", boleta)


def test_rechaza_hexadecimal_en_minusculas(lineas: list[dict[str, Any]]) -> None:
    boleta = _documento(lineas, "boleta_cifrada")
    alfa = boleta["contiendas"][0]["selecciones"][0]["cifrado"]["alfa"]
    boleta["contiendas"][0]["selecciones"][0]["cifrado"]["alfa"] = alfa.lower()
    _rechaza("boleta_cifrada.schema.json", boleta)
    retos = _documento(lineas, "retos_descifrado")
    retos["retos"][0] = retos["retos"][0].lower()
    _rechaza("retos_descifrado.schema.json", retos)
    acta = _documento(lineas, "acta_computo")
    acta["cabeza_tablero"] = acta["cabeza_tablero"].lower()
    _rechaza("acta_computo.schema.json", acta)


def test_rechaza_campo_faltante(lineas: list[dict[str, Any]]) -> None:
    registro = _documento(lineas, "registro_llaves")
    del registro["compromisos"][0]["nombre"]
    _rechaza("registro_llaves.schema.json", registro)
    resultado = _documento(lineas, "resultado_descifrado")
    del resultado["version"]
    _rechaza("resultado_descifrado.schema.json", resultado)


def test_rechaza_longitudes_tipos_y_versiones_equivocados(lineas: list[dict[str, Any]]) -> None:
    parcial = _documento(lineas, "descifrado_parcial")
    parcial["partes"][0]["m"] = parcial["partes"][0]["m"][2:]
    _rechaza("descifrado_parcial.schema.json", parcial)
    respuesta = _documento(lineas, "respuesta_descifrado")
    respuesta["version"] = "vmre-0.9"
    _rechaza("respuesta_descifrado.schema.json", respuesta)
    escrutinio = _documento(lineas, "escrutinio_cifrado")
    escrutinio["contiendas"][0]["boletas"] = 1 << 32
    _rechaza("escrutinio_cifrado.schema.json", escrutinio)
    configuracion = _documento(lineas, "configuracion_eleccion")
    configuracion["cuorum"] = True
    _rechaza("configuracion_eleccion.schema.json", configuracion)
    desafiada = _documento(lineas, "boleta_desafiada")
    desafiada["apertura"]["nonce_boleta"] = None
    _rechaza("boleta_desafiada.schema.json", desafiada)
    boleta = _documento(lineas, "boleta_cifrada")
    boleta["tipo"] = "boleta_desafiada"
    _rechaza("boleta_cifrada.schema.json", boleta)


def test_la_linea_exige_que_el_objeto_sea_de_su_tipo(lineas: list[dict[str, Any]]) -> None:
    linea = copy.deepcopy(next(x for x in lineas if x["entrada"]["tipo"] == "lista_credenciales"))
    linea["entrada"]["tipo"] = "acta_inicio"
    _rechaza("linea_tablero.schema.json", linea)
    linea = copy.deepcopy(lineas[0])
    linea["entrada"]["tiempo"] = "2027-06-06 08:00:00"
    _rechaza("linea_tablero.schema.json", linea)
    linea = copy.deepcopy(lineas[0])
    linea["firma"] = "00"
    _rechaza("linea_tablero.schema.json", linea)
    linea = copy.deepcopy(lineas[1])
    linea["objeto"]["compromisos"][0] = "0" * 1023
    _rechaza("linea_tablero.schema.json", linea)
