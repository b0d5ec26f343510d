"""Herramientas de las pruebas del registro publicado: leer, manipular, re-encadenar y verificar.

Un adversario que no tiene ningún secreto (ni llaves de custodios ni credenciales) siempre puede
editar ``tablero.jsonl`` y luego recalcular la cadena de hashes (§14.2: la clave es H_P, que es
pública) e incluso parchar la cabeza del tablero y el número de entradas de las actas.  Por eso
cada manipulación se prueba dos veces: «cruda» (sin tocar la cadena: V-T1 debe fallar) y
«forjada» (cadena y actas rehechas: la comprobación semántica debe fallar igual).
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from vmre_crypto.ceremonia import RegistroLlaves
from vmre_crypto.credenciales import ParCredencial
from vmre_crypto.eleccion import ConfiguracionEleccion, ContextoEleccion
from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR, Grupo
from vmre_crypto.primitivas.parametros import hash_parametros
from vmre_crypto.registro.escritor import ARCHIVO_TABLERO
from vmre_crypto.registro.tablero import HASH_INICIAL, hash_entrada, hash_objeto
from vmre_crypto.serializacion import a_json, deserializar, serializar, texto_canonico
from vmre_crypto.verificador.informe import Informe
from vmre_crypto.verificador.verificar import ErrorEntrada, verificar_registro

T = TypeVar("T")

#: Clave de la cadena del tablero (pública: cualquiera puede recalcular la cadena).
H_P = hash_parametros(GRUPO_ESTANDAR)

#: Tipos de documento cuyo objeto lleva la cabeza del tablero y el número de entradas.
TIPOS_ACTA = ("acta_inicio", "acta_computo")

Linea = dict[str, Any]


# -- lectura y escritura -------------------------------------------------------------------------
def ruta_tablero(directorio: Path) -> Path:
    return directorio / ARCHIVO_TABLERO


def copiar_registro(origen: Path, destino: Path) -> Path:
    """Copia el registro de ``origen`` a ``destino`` (que se crea) y devuelve ``destino``."""
    destino.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ruta_tablero(origen), ruta_tablero(destino))
    return destino


def leer_lineas(directorio: Path) -> list[Linea]:
    """Las líneas del tablero como diccionarios ``{"entrada": …, "objeto": …}`` (copias editables)."""
    with ruta_tablero(directorio).open(encoding="utf-8") as archivo:
        return [json.loads(linea) for linea in archivo]


def linea_canonica(linea: Linea) -> str:
    """La línea exactamente como la escribe ``EscritorTablero`` (§10.2, §14.2)."""
    return '{"entrada":' + texto_canonico(linea["entrada"]) + ',"objeto":' + texto_canonico(linea["objeto"]) + "}\n"


def texto_lineas(lineas: list[Linea]) -> str:
    return "".join(linea_canonica(linea) for linea in lineas)


def escribir_lineas(directorio: Path, lineas: list[Linea]) -> Path:
    """Escribe ``tablero.jsonl`` en forma canónica exacta; crea ``directorio`` si hace falta."""
    directorio.mkdir(parents=True, exist_ok=True)
    ruta_tablero(directorio).write_text(texto_lineas(lineas), encoding="utf-8", newline="\n")
    return directorio


@dataclass(frozen=True)
class RegistroMuestra:
    """El registro de muestra de la sesión (fixture ``muestra`` de conftest.py); solo lectura."""

    directorio: Path
    #: Credenciales del ejemplo por su X pública en hexadecimal (la forma del JSON).
    credenciales: dict[str, ParCredencial]
    contexto: ContextoEleccion

    def lineas(self) -> list[Linea]:
        """Una copia editable de las líneas del tablero."""
        return leer_lineas(self.directorio)

    def texto(self) -> str:
        return ruta_tablero(self.directorio).read_text(encoding="utf-8")


# -- el adversario sin secretos ------------------------------------------------------------------
def rehacer_cadena(lineas: list[Linea], *, actas: bool = False) -> list[Linea]:
    """Recalcula (en su lugar) índice, tipo, hash_anterior, hash_objeto y hash_entrada de cada entrada.

    Conserva ``tiempo`` (lo único de la entrada que no se deriva del resto).  Con ``actas=True``
    parcha además ``cabeza_tablero`` y ``entradas`` de las actas de inicio y de cómputo para que
    concuerden con la cadena recalculada: el falsificador más fuerte que no tiene secretos.
    Devuelve la misma lista.
    """
    cabeza = HASH_INICIAL
    for indice, linea in enumerate(lineas):
        entrada, objeto = linea["entrada"], linea["objeto"]
        if actas and objeto.get("tipo") in TIPOS_ACTA:
            objeto["cabeza_tablero"] = cabeza.hex().upper()
            objeto["entradas"] = indice
        tipo = objeto.get("tipo") if isinstance(objeto.get("tipo"), str) else entrada["tipo"]
        h_obj = hash_objeto(H_P, texto_canonico(objeto))
        h_ent = hash_entrada(H_P, indice, tipo, cabeza, h_obj, entrada["tiempo"])
        entrada.update(
            indice=indice,
            tipo=tipo,
            hash_anterior=cabeza.hex().upper(),
            hash_objeto=h_obj.hex().upper(),
            hash_entrada=h_ent.hex().upper(),
        )
        cabeza = h_ent
    return lineas


def rehacer_actas(lineas: list[Linea]) -> list[Linea]:
    """Cadena rehecha y actas parchadas (cabeza_tablero, entradas)."""
    return rehacer_cadena(lineas, actas=True)


def forjar(lineas: list[Linea]) -> list[Linea]:
    """Copia profunda de ``lineas`` con cadena y actas rehechas (la variante «forjada»)."""
    return rehacer_actas(copy.deepcopy(lineas))


# -- documentos ------------------------------------------------------------------------------------
def posiciones(lineas: list[Linea], tipo: str) -> list[int]:
    """Posiciones (0..) de las líneas cuyo documento es de ``tipo``."""
    return [i for i, linea in enumerate(lineas) if linea["objeto"].get("tipo") == tipo]


def documento(lineas: list[Linea], posicion: int, clase: type[T]) -> T:
    """Decodifica el documento de la línea ``posicion`` como ``clase``."""
    return deserializar(texto_canonico(lineas[posicion]["objeto"]), clase, GRUPO_ESTANDAR)


def objeto_json(documento_: object) -> dict[str, Any]:
    """El objeto JSON (con ``version`` y ``tipo``) de un documento, listo para una línea del tablero."""
    return json.loads(serializar(documento_))


def en_json(valor: Any) -> Any:
    """Forma JSON de un valor (p. ej. un ElementoP → hexadecimal en mayúsculas de 1024 dígitos)."""
    return a_json(valor)


def nueva_linea(documento_: object, tiempo: str) -> Linea:
    """Línea nueva con entrada provisional (``rehacer_cadena`` la completa)."""
    objeto = objeto_json(documento_)
    cero = HASH_INICIAL.hex().upper()
    return {
        "entrada": {
            "hash_anterior": cero,
            "hash_entrada": cero,
            "hash_objeto": cero,
            "indice": 0,
            "tiempo": tiempo,
            "tipo": objeto["tipo"],
        },
        "objeto": objeto,
    }


def contexto_de(lineas: list[Linea]) -> ContextoEleccion:
    """Contexto de la elección reconstruido solo con lo publicado (configuración y registro de llaves)."""
    configuracion = documento(lineas, posiciones(lineas, "configuracion_eleccion")[0], ConfiguracionEleccion)
    registro = documento(lineas, posiciones(lineas, "registro_llaves")[0], RegistroLlaves)
    return ContextoEleccion.crear(configuracion, registro.llave_conjunta)


# -- aritmética sobre los valores del JSON ------------------------------------------------------------
def por_g(valor_hex: str) -> str:
    """x·g mod p: otro elemento del subgrupo (pasa V-G), así la falla es la semántica y no la de rango."""
    g = GRUPO_ESTANDAR
    return format(int(valor_hex, 16) * int(g.g) % int(g.p), "X").rjust(2 * g.bytes_p, "0")


def mas_uno_q(valor_hex: str) -> str:
    """(v + 1) mod q, con la longitud de un valor de Z_q."""
    g = GRUPO_ESTANDAR
    return format((int(valor_hex, 16) + 1) % int(g.q), "X").rjust(2 * g.bytes_q, "0")


# -- verificación ---------------------------------------------------------------------------------
def verificar(directorio: Path, procesos: int = 1) -> Informe:
    """Corre el verificador del registro (por omisión en este proceso)."""
    return verificar_registro(directorio, procesos)


def fallidas(informe: Informe) -> set[str]:
    """Identificadores de las comprobaciones que fallan."""
    return set(informe.fallidas())


def resultado_verificacion(directorio: Path, procesos: int = 1) -> set[str] | None:
    """Comprobaciones que fallan, o ``None`` si el registro es ilegible (ErrorEntrada, salida 2)."""
    try:
        return fallidas(verificar(directorio, procesos))
    except ErrorEntrada:
        return None


# -- aceleración para las mutaciones aleatorias ----------------------------------------------------
@contextlib.contextmanager
def aritmetica_memorizada() -> Iterator[None]:
    """Memoriza las exponenciaciones y la prueba de pertenencia por lotes (funciones puras).

    Cada mutación cambia un solo valor del registro, así que casi todas las exponenciaciones
    del verificador se repiten idénticas de una corrida a otra.  La memoria se indexa con los
    argumentos completos: el resultado es exactamente el que se calcularía (la prueba por
    lotes, correcta con probabilidad ≥ 1 − 2^-127, se corre una vez por lista de valores), y el
    verificador decide igual; solo deja de pagar dos veces la misma cuenta.
    """
    originales = (ar.multiexp, ar.potencias_misma_base, ar.potencia)
    tabla_original = ar.TablaBaseFija.potencia
    lotes_original = Grupo.son_miembros
    memoria: dict[tuple[Any, ...], Any] = {}

    def memorizar(clave: tuple[Any, ...], calcular: Callable[[], Any]) -> Any:
        if clave not in memoria:
            memoria[clave] = calcular()
        return memoria[clave]

    def multiexp(bases: Any, exponentes: Any, modulo: Any) -> Any:
        clave = ("m", tuple(bases), tuple(int(e) for e in exponentes), modulo)
        return memorizar(clave, lambda: originales[0](bases, exponentes, modulo))

    def potencias_misma_base(base: Any, exponentes: Any, modulo: Any) -> Any:
        clave = ("p", base, tuple(int(e) for e in exponentes), modulo)
        return list(memorizar(clave, lambda: originales[1](base, exponentes, modulo)))

    def potencia(base: Any, exponente: Any, modulo: Any) -> Any:
        return memorizar(("e", base, int(exponente), modulo), lambda: originales[2](base, exponente, modulo))

    def potencia_tabla(self: ar.TablaBaseFija, exponente: Any) -> Any:
        clave = ("t", self.base, self.modulo, int(exponente))
        return memorizar(clave, lambda: tabla_original(self, exponente))

    def son_miembros(self: Grupo, valores: Any) -> bool:
        clave = ("l", self.p, tuple(int(v) for v in valores))
        return memorizar(clave, lambda: lotes_original(self, valores))

    ar.multiexp, ar.potencias_misma_base, ar.potencia = multiexp, potencias_misma_base, potencia
    ar.TablaBaseFija.potencia = potencia_tabla  # type: ignore[method-assign]
    Grupo.son_miembros = son_miembros  # type: ignore[method-assign]
    try:
        yield
    finally:
        ar.multiexp, ar.potencias_misma_base, ar.potencia = originales
        ar.TablaBaseFija.potencia = tabla_original  # type: ignore[method-assign]
        Grupo.son_miembros = lotes_original  # type: ignore[method-assign]
