"""Lectura estricta de la entrada: JSON (API) y formularios (páginas), §18.5.

Toda entrada se valida antes de tocar la base: tipo de contenido, JSON bien formado y sin
claves repetidas, un objeto, sin campos desconocidos, sin faltantes y con el tipo esperado.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import request

from ..errores import Codigo, ErrorServidor


@dataclass(frozen=True, slots=True)
class Campo:
    tipo: type | tuple[type, ...] = str
    requerido: bool = True
    max_largo: int = 500
    recortar: bool = True  # quitar espacios al inicio y al final (nunca en contraseñas)


_NOMBRES_TIPO = {str: "texto", int: "entero", bool: "booleano", list: "lista", dict: "objeto"}


def _sin_repetidas(pares: list[tuple[str, Any]]) -> dict[str, Any]:
    salida: dict[str, Any] = {}
    for clave, valor in pares:
        if clave in salida:
            raise ErrorServidor(Codigo.JSON_MALFORMADO, f"La clave «{clave}» aparece repetida en el JSON.", campo=clave)
        salida[clave] = valor
    return salida


def cuerpo_json() -> Any:
    if not request.mimetype == "application/json":
        raise ErrorServidor(Codigo.TIPO_CONTENIDO, "El cuerpo debe enviarse como application/json.", 415)
    datos = request.get_data(cache=True)
    try:
        return json.loads(
            datos.decode("utf-8"),
            object_pairs_hook=_sin_repetidas,
            parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)),
        )
    except ErrorServidor:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ErrorServidor(Codigo.JSON_MALFORMADO, "El cuerpo no es JSON válido en UTF-8.") from None


def validar(datos: Any, esquema: Mapping[str, Campo], *, ignorar: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(datos, Mapping):
        raise ErrorServidor(Codigo.TIPO_INVALIDO, "Se esperaba un objeto JSON.")
    desconocidos = sorted(set(datos) - set(esquema) - ignorar)
    if desconocidos:
        raise ErrorServidor(Codigo.CAMPO_DESCONOCIDO, f"Campo desconocido: «{desconocidos[0]}».", campo=desconocidos[0])
    salida: dict[str, Any] = {}
    for nombre, campo in esquema.items():
        if nombre not in datos or datos[nombre] is None or datos[nombre] == "":
            if campo.requerido:
                raise ErrorServidor(Codigo.CAMPO_FALTANTE, f"Falta el campo «{nombre}».", campo=nombre)
            continue
        valor = datos[nombre]
        tipos = campo.tipo if isinstance(campo.tipo, tuple) else (campo.tipo,)
        if not isinstance(valor, tipos) or (isinstance(valor, bool) and bool not in tipos):
            esperado = " o ".join(_NOMBRES_TIPO.get(t, t.__name__) for t in tipos)
            raise ErrorServidor(Codigo.TIPO_INVALIDO, f"El campo «{nombre}» debe ser {esperado}.", campo=nombre)
        if isinstance(valor, str):
            if campo.recortar:
                valor = valor.strip()
            if len(valor) > campo.max_largo:
                raise ErrorServidor(
                    Codigo.VALOR_INVALIDO,
                    f"El campo «{nombre}» admite a lo más {campo.max_largo} caracteres.",
                    campo=nombre,
                )
        salida[nombre] = valor
    return salida


def leer_json(esquema: Mapping[str, Campo]) -> dict[str, Any]:
    return validar(cuerpo_json(), esquema)


def leer_formulario(esquema: Mapping[str, Campo]) -> dict[str, Any]:
    """Formularios HTML: mismos campos y reglas; ``_csrf`` lo revisa la capa de seguridad."""
    datos = {k: v for k, v in request.form.items()}
    return validar(datos, esquema, ignorar=frozenset({"_csrf"}))


# Las contraseñas se guardan tal como se escriben: un espacio al inicio o al final es parte de ella.
CONTRASENA = Campo(max_largo=256, recortar=False)
