"""Órdenes ``vmre lnere …``: el módulo de comparación de códigos de integridad (§16.4).

``vmre lnere comparar A B`` y ``vmre lnere verificar ARCHIVO --codigo HEX`` trabajan sobre
archivos, sin servidor ni base: un auditor compara la lista cargada en otro sistema con la
que generó el SRVE.  ``vmre lnere descargar`` baja el documento de un corte por la API y
comprueba su código.  Salida (16.13): 0 idénticas / coincide, 1 diferentes / no coincide,
2 archivo ilegible o que no es un documento canónico (o uso incorrecto).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from .dominio.lnere_canonica import Comparacion, DocumentoInvalido, DocumentoLNERE, codigo_integridad, comparar, leer

IDENTICAS, DIFERENTES, ILEGIBLE = 0, 1, 2
_HEX = re.compile(r"[0-9a-fA-F]{64}")


def _fallar(mensaje: str, como_json: bool, **detalles: Any) -> NoReturn:
    if como_json:
        click.echo(
            json.dumps(
                {"error": {"codigo": "documento_lnere_invalido", "mensaje": mensaje, **detalles}},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"Error: {mensaje}", err=True)
    sys.exit(ILEGIBLE)


def _leer_bytes(ruta: str, etiqueta: str, como_json: bool) -> bytes:
    try:
        return Path(ruta).read_bytes()
    except OSError as e:
        _fallar(f"no se pudo leer el archivo {etiqueta}«{ruta}»: {e.strerror or e}.", como_json, archivo=ruta)


def _leer_documento(ruta: str, etiqueta: str, como_json: bool) -> DocumentoLNERE:
    contenido = _leer_bytes(ruta, etiqueta, como_json)
    try:
        return leer(contenido)
    except DocumentoInvalido as e:
        _fallar(
            f"el archivo {etiqueta}«{ruta}» no es un documento canónico de la LNERE (§16). {e.mensaje}",
            como_json,
            archivo=ruta,
            linea=e.linea,
            sha256=codigo_integridad(contenido),
        )


def _texto(resultado: Comparacion, ruta_a: str, ruta_b: str) -> str:
    lineas = []
    for etiqueta, ruta, codigo, e in (
        ("A", ruta_a, resultado.codigo_a, resultado.encabezado_a),
        ("B", ruta_b, resultado.codigo_b, resultado.encabezado_b),
    ):
        lineas += [
            f"{etiqueta}: {ruta}",
            f"   modalidad {e.modalidad}, versión {e.version_corte}, {e.num_registros} registros",
            f"   código de integridad: {codigo}",
        ]
    lineas.append(f"Resultado: {resultado.resultado}")
    if resultado.identicas:
        return "\n".join(lineas)
    if resultado.diferencias_encabezado:
        lineas.append(
            "Encabezado distinto: "
            + ", ".join(
                f"{c} ({getattr(resultado.encabezado_a, c)} → {getattr(resultado.encabezado_b, c)})"
                for c in resultado.diferencias_encabezado
            )
        )
    lineas.append(f"Registros agregados en B ({len(resultado.agregados)}):")
    lineas += [f"   {c}" for c in resultado.agregados]
    lineas.append(f"Registros eliminados de B ({len(resultado.eliminados)}):")
    lineas += [f"   {c}" for c in resultado.eliminados]
    lineas.append(f"Registros con cambios ({len(resultado.cambiados)}):")
    lineas += [f"   {c.clave_elector}: {', '.join(c.campos)}" for c in resultado.cambiados]
    return "\n".join(lineas)


@click.group(help="Lista nominal de electores residentes en el extranjero: comparar y verificar cortes (§16).")
def lnere() -> None:
    pass


@lnere.command(
    "comparar",
    help="Compara dos documentos canónicos de cortes de la LNERE (A: el del SRVE; B: el cargado en "
    "otro sistema).  Sale con 0 si son idénticas, 1 si son diferentes y 2 si alguno es ilegible.",
)
@click.argument("archivo_a")
@click.argument("archivo_b")
@click.option("--json", "como_json", is_flag=True, help="Resultado en JSON (16.13).")
def comparar_archivos(archivo_a: str, archivo_b: str, como_json: bool) -> None:
    a = _leer_documento(archivo_a, "A ", como_json)
    b = _leer_documento(archivo_b, "B ", como_json)
    resultado = comparar(a, b)
    if como_json:
        salida = resultado.como_json()
        salida["a"]["archivo"], salida["b"]["archivo"] = archivo_a, archivo_b
        click.echo(json.dumps(salida, ensure_ascii=False, indent=2))
    else:
        click.echo(_texto(resultado, archivo_a, archivo_b))
    sys.exit(IDENTICAS if resultado.identicas else DIFERENTES)


@lnere.command(
    help="Recalcula el código de integridad (SHA-256, 16.8) de un documento y lo compara con el dado.  "
    "Sale con 0 si coincide, 1 si no coincide y 2 si el archivo es ilegible o no es canónico."
)
@click.argument("archivo")
@click.option("--codigo", required=True, help="Código de integridad esperado: 64 dígitos hexadecimales.")
@click.option("--json", "como_json", is_flag=True, help="Resultado en JSON.")
def verificar(archivo: str, codigo: str, como_json: bool) -> None:
    if not _HEX.fullmatch(codigo.strip()):
        _fallar("el código de integridad debe tener exactamente 64 dígitos hexadecimales.", como_json)
    esperado = codigo.strip().lower()
    documento = _leer_documento(archivo, "", como_json)
    coincide = documento.codigo == esperado
    if como_json:
        click.echo(
            json.dumps(
                {
                    "archivo": archivo,
                    "codigo_calculado": documento.codigo,
                    "codigo_esperado": esperado,
                    "coincide": coincide,
                    "modalidad": documento.encabezado.modalidad,
                    "version_corte": documento.encabezado.version_corte,
                    "num_registros": documento.encabezado.num_registros,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"Archivo: {archivo}\n   código calculado: {documento.codigo}\n   código esperado:  {esperado}")
        click.echo("El código de integridad coincide." if coincide else "El código de integridad NO coincide.")
    sys.exit(IDENTICAS if coincide else DIFERENTES)


@lnere.command(
    help="Descarga por la API el documento canónico de un corte y comprueba su código de integridad.  "
    "El testigo de sesión (rol administrador, operador o auditor) se lee de VMRE_TESTIGO."
)
@click.option("--servidor", required=True, help="Dirección del servidor, p. ej. https://srve.ejemplo.mx")
@click.option("--corte", "corte_id", required=True, type=int, help="Número del corte.")
@click.option("--salida", required=True, help="Archivo donde guardar el documento.")
def descargar(servidor: str, corte_id: int, salida: str) -> None:
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    testigo = os.environ.get("VMRE_TESTIGO", "")
    if not testigo:
        _fallar("defina VMRE_TESTIGO con el testigo de una sesión del personal.", False)
    url = f"{servidor.rstrip('/')}/api/v1/lnere/cortes/{corte_id}/documento"
    peticion = Request(url, headers={"Authorization": f"Bearer {testigo}"})
    try:
        with urlopen(peticion, timeout=120) as respuesta:  # URL dada por quien opera la orden
            contenido = respuesta.read()
            anunciado = respuesta.headers.get("X-Codigo-Integridad", "")
    except HTTPError as e:
        try:
            mensaje = json.loads(e.read())["error"]["mensaje"]
        except (ValueError, KeyError, TypeError):
            mensaje = str(e)
        _fallar(f"el servidor respondió {e.code}: {mensaje}", False)
    except (URLError, OSError) as e:
        _fallar(f"no se pudo conectar con {servidor}: {e}", False)
    try:
        documento = leer(contenido)
    except DocumentoInvalido as e:
        _fallar(f"lo descargado no es un documento canónico de la LNERE. {e.mensaje}", False)
    Path(salida).write_bytes(contenido)
    click.echo(
        f"Corte {documento.encabezado.modalidad} versión {documento.encabezado.version_corte}, "
        f"{documento.encabezado.num_registros} registros, guardado en {salida}"
    )
    click.echo(f"   código de integridad: {documento.codigo}")
    if documento.codigo != anunciado:
        click.echo("El código anunciado por el servidor NO coincide con el documento descargado.", err=True)
        sys.exit(DIFERENTES)
    sys.exit(IDENTICAS)
