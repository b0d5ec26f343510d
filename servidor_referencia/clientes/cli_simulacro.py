"""Orden ``vmre simulacro`` (§22): el flujo completo contra un servidor real en localhost."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .autoridad import ErrorAutoridad
from .simulacro import SALIDA_ACEPTADO, SALIDA_FALLA, SALIDA_SIN_COMPUTO, Opciones, Simulacro, como_json, resumen
from .simulacro_infra import ErrorSimulacro
from .votante import ErrorVotante


@click.command(help="Simulacro completo contra un servidor real en localhost (inscripción → verificación).")
@click.option("--participantes", default=1009, show_default=True, type=click.IntRange(1, 200_000))
@click.option("--votos", default=683, show_default=True, type=click.IntRange(0, 200_000))
@click.option("--custodios", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--umbral", default=3, show_default=True, type=click.IntRange(1, 50), help="Cuórum k.")
@click.option("--desafios", default=5, show_default=True, type=click.IntRange(0), help="Boletas desafiadas (Benaloh).")
@click.option("--semilla", default=None, type=int, help="Hace reproducibles participantes y selecciones.")
@click.option(
    "--salida",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Carpeta de salida (por omisión, una temporal).",
)
@click.option("--db", default=None, help="URL de la base (por omisión, SQLite dentro de la carpeta de salida).")
@click.option("--puerto", default=None, type=int, help="Puerto del servidor (por omisión, uno libre).")
@click.option("--trabajadores", default=4, show_default=True, type=click.IntRange(1, 64), help="Clientes a la vez.")
@click.option("--hilos-servidor", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--ventana", "ventana_minutos", default=60, show_default=True, type=click.IntRange(1, 10_000),
              help="Minutos de la ventana de votación (comprimida).")  # fmt: skip
@click.option("--cuorum-azar", is_flag=True, help="Elegir el cuórum con la semilla en vez de los custodios 1..k.")
@click.option(
    "--navegador",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Cuántos de los votantes usan la cabina web en Chromium (Playwright) en vez de vmre votar.",
)
@click.option(
    "--pausa",
    is_flag=True,
    help="Tras la votación automática, espera a que usted vote en su navegador con un participante que no votó.",
)
@click.option("--json", "informe_json", is_flag=True, help="Además, el informe en JSON en la salida estándar.")
def simulacro(informe_json: bool, **kw: object) -> None:
    opciones = Opciones(**kw)  # type: ignore[arg-type]
    if opciones.votos > opciones.participantes:
        raise click.BadParameter("no puede haber más votos que participantes", param_hint="--votos")
    if opciones.navegador > opciones.votos:
        raise click.BadParameter("no puede haber más votantes en el navegador que votos", param_hint="--navegador")
    if opciones.pausa and opciones.votos >= opciones.participantes:
        raise click.BadParameter("con --pausa debe quedar al menos un participante sin votar", param_hint="--votos")
    if opciones.umbral > opciones.custodios:
        raise click.BadParameter("el umbral no puede pasar del número de custodios", param_hint="--umbral")
    s = Simulacro(opciones, avisar=lambda t: click.echo(t, err=True))
    try:
        informe = s.correr()
    except (ErrorSimulacro, ErrorVotante, ErrorAutoridad, OSError) as e:
        codigo = getattr(e, "codigo", "")
        click.echo(f"Error{f' [{codigo}]' if codigo else ''}: {e}", err=True)
        click.echo(resumen(s.informe, opciones), err=True)
        sys.exit(SALIDA_FALLA)
    click.echo(resumen(informe, opciones))
    if informe_json:
        click.echo(como_json(informe))
    if informe.detenido:
        sys.exit(SALIDA_SIN_COMPUTO)
    sys.exit(SALIDA_ACEPTADO if informe.verificador_acepta else SALIDA_FALLA)
