"""Forma JSON canónica de todos los mensajes (§10 de la especificación).

Cada mensaje es una dataclass congelada.  Su forma JSON se deriva de sus campos:
``ElementoP`` → hexadecimal en mayúsculas de exactamente 2·l_p dígitos; ``ElementoQ`` →
2·l_q dígitos; ``bytes`` → hexadecimal en mayúsculas; ``int``, ``str`` y ``bool`` tal cual;
tuplas → listas; dataclasses anidadas → objetos.  El texto canónico ordena las llaves, no
lleva espacios y usa UTF-8 (``json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``).  Cada documento de nivel superior lleva ``version`` y ``tipo``.

La decodificación rechaza campos faltantes o desconocidos, tipos equivocados, hexadecimal
no canónico y valores fuera de rango, y comprueba la pertenencia al subgrupo de todos los
``ElementoP`` del mensaje con la prueba por lotes (V-G2), nombrando el campo culpable.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from gmpy2 import mpz

from .errores import ErrorDecodificacion, Motivo
from .primitivas.grupo import ElementoP, ElementoQ, Grupo

__all__ = [
    "VERSION_ESPECIFICACION",
    "a_json",
    "desde_json",
    "deserializar",
    "serializar",
    "texto_canonico",
]

#: Versión de la especificación que escribe cada documento (§10.1).
VERSION_ESPECIFICACION = "vmre-1.0"

T = TypeVar("T")
_HEX = re.compile(r"[0-9A-F]*")


def texto_canonico(valor: Any) -> str:
    """JSON canónico (§10.2)."""
    return json.dumps(valor, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _hex(valor: int, digitos: int) -> str:
    return format(int(valor), "X").rjust(digitos, "0")


def a_json(obj: Any) -> Any:
    """Convierte un mensaje (o cualquier valor de sus campos) a su forma JSON."""
    if isinstance(obj, ElementoP):
        return _hex(obj.valor, 2 * obj.grupo.bytes_p)
    if isinstance(obj, ElementoQ):
        return _hex(obj.valor, 2 * obj.grupo.bytes_q)
    if isinstance(obj, bool) or obj is None or isinstance(obj, (str, int)):
        return obj
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj).hex().upper()
    if isinstance(obj, (tuple, list)):
        return [a_json(x) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: a_json(getattr(obj, f.name)) for f in dataclasses.fields(obj) if not f.name.startswith("_")}
    raise TypeError(f"tipo no serializable: {type(obj).__name__}")


@functools.cache
def _pistas(clase: type) -> dict[str, Any]:
    return get_type_hints(clase)


class _Decodificador:
    def __init__(self, grupo: Grupo | None) -> None:
        self.grupo = grupo
        self.pendientes: list[tuple[str, mpz]] = []

    def error(self, motivo: Motivo, mensaje: str, ruta: str) -> ErrorDecodificacion:
        return ErrorDecodificacion(motivo, mensaje, campo=ruta or "(raíz)")

    def valor(self, tipo: Any, dato: Any, ruta: str) -> Any:
        origen = get_origin(tipo)
        if origen in (Union, types.UnionType):
            opciones = get_args(tipo)
            if dato is None and type(None) in opciones:
                return None
            no_nulos = [o for o in opciones if o is not type(None)]
            return self.valor(no_nulos[0], dato, ruta)
        if tipo is ElementoP or tipo is ElementoQ:
            grupo = self._grupo(ruta)
            largo = 2 * (grupo.bytes_p if tipo is ElementoP else grupo.bytes_q)
            if not isinstance(dato, str) or len(dato) != largo or not _HEX.fullmatch(dato):
                raise self.error(
                    Motivo.FORMATO_INVALIDO,
                    f"Se esperaba hexadecimal en mayúsculas de {largo} dígitos.",
                    ruta,
                )
            entero = mpz(int(dato, 16))
            if tipo is ElementoQ:
                if entero >= grupo.q:
                    raise self.error(Motivo.FUERA_DE_RANGO_Q, "El valor no está en 0..q−1.", ruta)
                return ElementoQ._confiable(entero, grupo)
            if not 0 < entero < grupo.p:
                raise self.error(Motivo.FUERA_DE_RANGO_P, "El valor no está en 1..p−1.", ruta)
            self.pendientes.append((ruta, entero))
            return ElementoP._confiable(entero, grupo)
        if tipo is bytes:
            if not isinstance(dato, str) or len(dato) % 2 or not _HEX.fullmatch(dato):
                raise self.error(Motivo.FORMATO_INVALIDO, "Se esperaban bytes en hexadecimal en mayúsculas.", ruta)
            return bytes.fromhex(dato)
        if tipo is bool:
            if not isinstance(dato, bool):
                raise self.error(Motivo.TIPO_INVALIDO, "Se esperaba un booleano.", ruta)
            return dato
        if tipo is int:
            if isinstance(dato, bool) or not isinstance(dato, int):
                raise self.error(Motivo.TIPO_INVALIDO, "Se esperaba un entero.", ruta)
            # Todo entero de un mensaje es un índice o un conteo que se codifica como b(i, 4).
            if not 0 <= dato < 1 << 32:
                raise self.error(Motivo.FORMATO_INVALIDO, "El entero no está en 0..2^32−1.", ruta)
            return dato
        if tipo is str:
            if not isinstance(dato, str):
                raise self.error(Motivo.TIPO_INVALIDO, "Se esperaba una cadena.", ruta)
            return dato
        if origen is tuple:
            if not isinstance(dato, list):
                raise self.error(Motivo.TIPO_INVALIDO, "Se esperaba una lista.", ruta)
            args = get_args(tipo)
            return tuple(self.valor(args[0], x, f"{ruta}[{i}]") for i, x in enumerate(dato))
        if dataclasses.is_dataclass(tipo):
            return self.objeto(tipo, dato, ruta)
        raise TypeError(f"tipo no soportado en mensajes: {tipo!r}")  # pragma: no cover

    def objeto(self, clase: Any, dato: Any, ruta: str) -> Any:
        if not isinstance(dato, dict):
            raise self.error(Motivo.TIPO_INVALIDO, "Se esperaba un objeto JSON.", ruta)
        campos = [f for f in dataclasses.fields(clase) if not f.name.startswith("_")]
        nombres = {f.name for f in campos}
        sobrantes = set(dato) - nombres
        if sobrantes:
            raise self.error(Motivo.CAMPO_DESCONOCIDO, f"Campo desconocido: «{sorted(sobrantes)[0]}».", ruta)
        pistas = _pistas(clase)
        valores = {}
        for f in campos:
            sub = f"{ruta}.{f.name}" if ruta else f.name
            if f.name not in dato:
                raise self.error(Motivo.CAMPO_FALTANTE, f"Falta el campo «{f.name}».", sub)
            valores[f.name] = self.valor(pistas[f.name], dato[f.name], sub)
        return clase(**valores)

    def _grupo(self, ruta: str) -> Grupo:
        if self.grupo is None:  # pragma: no cover - error de programación
            raise TypeError(f"se necesita un grupo para decodificar {ruta}")
        return self.grupo

    def comprobar_pertenencia(self) -> None:
        """V-G2 sobre todos los ElementoP del mensaje; V-G1 para nombrar al culpable."""
        if not self.pendientes:
            return
        grupo = self._grupo("")
        if grupo.son_miembros([v for _, v in self.pendientes]):
            return
        for ruta, v in self.pendientes:
            if not grupo.es_miembro(v):
                raise self.error(Motivo.NO_ES_MIEMBRO_SUBGRUPO, "El valor no pertenece al subgrupo de orden q.", ruta)
        raise self.error(Motivo.NO_ES_MIEMBRO_SUBGRUPO, "Lote fuera del subgrupo.", "")  # pragma: no cover


def desde_json(clase: type[T], dato: Any, grupo: Grupo | None) -> T:
    """Decodifica ``dato`` (ya analizado como JSON) como una instancia validada de ``clase``."""
    decodificador = _Decodificador(grupo)
    objeto = decodificador.valor(clase, dato, "")
    decodificador.comprobar_pertenencia()
    return typing.cast(T, objeto)


def serializar(obj: Any) -> str:
    """Documento canónico con ``version`` y ``tipo`` (nombre de la clase en snake_case)."""
    documento = a_json(obj)
    documento["version"] = VERSION_ESPECIFICACION
    documento["tipo"] = nombre_tipo(type(obj))
    return texto_canonico(documento)


def _sin_llaves_repetidas(pares: list[tuple[str, Any]]) -> dict[str, Any]:
    """§10.2: un objeto JSON con una llave repetida es ambiguo y se rechaza."""
    objeto = dict(pares)
    if len(objeto) != len(pares):
        raise ValueError("llave repetida en un objeto JSON")
    return objeto


def nombre_tipo(clase: type) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", clase.__name__).lower()


def deserializar(texto: str | bytes, clase: type[T], grupo: Grupo | None) -> T:
    """Inversa exacta de ``serializar``: rechaza JSON malformado, otra versión u otro tipo."""
    try:
        documento = json.loads(texto, object_pairs_hook=_sin_llaves_repetidas)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ErrorDecodificacion(Motivo.FORMATO_INVALIDO, "El documento no es JSON válido.") from exc
    if not isinstance(documento, dict):
        raise ErrorDecodificacion(Motivo.TIPO_INVALIDO, "El documento debe ser un objeto JSON.")
    version = documento.pop("version", None)
    tipo = documento.pop("tipo", None)
    if version != VERSION_ESPECIFICACION:
        raise ErrorDecodificacion(
            Motivo.VERSION_NO_SOPORTADA,
            f"Versión de especificación no soportada: {version!r}.",
            campo="version",
        )
    if tipo != nombre_tipo(clase):
        raise ErrorDecodificacion(
            Motivo.TIPO_INVALIDO, f"Se esperaba un documento de tipo «{nombre_tipo(clase)}».", campo="tipo"
        )
    return desde_json(clase, documento, grupo)
