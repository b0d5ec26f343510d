"""Orden ``vmre simulacro`` (provisional: lo completa el trabajo del simulacro)."""

import click


@click.command(help="Simulacro completo contra un servidor real en localhost.")
def simulacro() -> None:
    raise click.ClickException("el simulacro aún no está disponible")
