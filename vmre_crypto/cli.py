"""Línea de órdenes ``vmre`` (click): ``vmre ejemplo`` y ``vmre verificar``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from .ejemplo import ResumenEjemplo, correr_ejemplo
from .registro.escritor import ARCHIVO_TABLERO
from .verificador.verificar import ErrorEntrada, verificar_registro


@click.group(help="vmre: voto por internet de las y los mexicanos residentes en el extranjero.")
@click.version_option(package_name="vmre", message="vmre %(version)s")
def principal() -> None:
    """Grupo raíz de órdenes."""


@principal.command(help="Corre una elección completa en un proceso y muestra los resultados.")
@click.option("--boletas", default=300, show_default=True, type=click.IntRange(1, 100_000), help="Boletas depositadas.")
@click.option(
    "--custodios", default=5, show_default=True, type=click.IntRange(1, 50), help="Custodios de la llave (n)."
)
@click.option("--umbral", default=3, show_default=True, type=click.IntRange(1, 50), help="Cuórum para descifrar (k).")
@click.option(
    "--desafios", default=5, show_default=True, type=click.IntRange(0, 1000), help="Boletas desafiadas (Benaloh)."
)
@click.option("--semilla", default=None, type=int, help="Semilla para un resultado reproducible (solo ejemplos).")
@click.option(
    "--salida",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directorio donde escribir el registro publicado (tablero.jsonl).",
)
def ejemplo(boletas: int, custodios: int, umbral: int, desafios: int, semilla: int | None, salida: Path | None) -> None:
    if umbral > custodios:
        raise click.BadParameter("el umbral no puede exceder el número de custodios", param_hint="--umbral")
    if salida is not None and (salida / ARCHIVO_TABLERO).exists():
        raise click.BadParameter(f"{salida} ya contiene un registro", param_hint="--salida")
    resumen = correr_ejemplo(
        boletas=boletas,
        custodios=custodios,
        cuorum=umbral,
        desafios=min(desafios, boletas),
        semilla=semilla,
        progreso=lambda texto: click.echo(f"• {texto}", err=True),
        salida=salida,
    )
    click.echo(formatear_resumen(resumen))
    if salida is not None:
        click.echo(
            f"Registro publicado escrito en {salida / ARCHIVO_TABLERO}; verifíquelo con: vmre verificar {salida}"
        )
    if not resumen.coincide:
        click.echo("ERROR: los conteos descifrados no coinciden con las marcas emitidas.", err=True)
        sys.exit(1)


@principal.command(help="Verifica un registro publicado (salida 0: válido; 1: alguna comprobación falla; 2: ilegible).")
@click.argument("directorio", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "como_json", is_flag=True, help="Informe en JSON en la salida estándar.")
@click.option(
    "--procesos", default=None, type=click.IntRange(1, 256), help="Procesos (por omisión, todos los núcleos)."
)
def verificar(directorio: Path, como_json: bool, procesos: int | None) -> None:
    ruta = directorio / ARCHIVO_TABLERO
    total = ruta.stat().st_size if ruta.is_file() else None
    with tqdm(total=total, unit="B", unit_scale=True, desc="Verificando", file=sys.stderr, disable=None) as barra:
        try:
            informe = verificar_registro(directorio, procesos, progreso=barra.update)
        except ErrorEntrada as error:
            mensaje = {"ok": False, "error": "entrada_ilegible", "mensaje": str(error)}
            if como_json:
                click.echo(json.dumps(mensaje, ensure_ascii=False))
            else:
                click.echo(f"ERROR: el registro no se puede leer: {error}", err=True)
            sys.exit(2)
    click.echo(informe.como_json() if como_json else informe.como_texto())
    sys.exit(0 if informe.ok else 1)


def formatear_resumen(resumen: ResumenEjemplo) -> str:
    """Tabla legible de resultados por contienda, con porcentajes y tiempos por fase."""
    manifiesto = resumen.configuracion.manifiesto
    conteos = resumen.resultado.conteos()
    lineas = [
        "",
        f"{manifiesto.etiqueta}",
        f"Custodios: {resumen.configuracion.custodios}, cuórum: {resumen.configuracion.cuorum}, "
        f"descifraron: {', '.join(map(str, resumen.resultado.cuorum))}",
        f"Boletas depositadas: {resumen.boletas_depositadas}; desafiadas y abiertas (no contadas): "
        f"{resumen.boletas_desafiadas}",
    ]
    ancho = max(len(o.etiqueta) for c in manifiesto.contiendas for o in c.opciones) + 2
    for contienda in manifiesto.contiendas:
        total = sum(conteos[contienda.indice].values())
        lineas += ["", f"{contienda.etiqueta} (límite {contienda.limite_seleccion})", "-" * (ancho + 22)]
        for opcion in contienda.opciones:
            votos = conteos[contienda.indice][opcion.indice]
            porcentaje = 100 * votos / total if total else 0.0
            lineas.append(f"  {opcion.etiqueta:<{ancho}}{votos:>8}  {porcentaje:6.1f} %")
        lineas.append(f"  {'Total de marcas':<{ancho}}{total:>8}")
    verificado = "sí" if resumen.coincide else "NO"
    lineas += ["", f"Pruebas de descifrado verificadas; coincide con las marcas emitidas: {verificado}"]
    lineas.append("Tiempo por fase: " + ", ".join(f"{k} {v:.2f} s" for k, v in resumen.tiempos.items()))
    return "\n".join(lineas)


def _cargar_extensiones() -> None:
    """Órdenes de otros paquetes (p. ej. ``vmre servidor``, ``vmre lnere``, ``vmre credenciales``
    del servidor de referencia), declaradas en el grupo de entrada ``vmre.ordenes``.  La biblioteca
    no importa al servidor: es el servidor el que se anuncia."""
    from importlib.metadata import entry_points

    for punto in entry_points(group="vmre.ordenes"):
        try:
            orden = punto.load()
        except ImportError:  # pragma: no cover - paquete opcional sin instalar
            continue
        if isinstance(orden, click.Command):
            principal.add_command(orden, punto.name)


_cargar_extensiones()

if __name__ == "__main__":  # pragma: no cover
    principal()
