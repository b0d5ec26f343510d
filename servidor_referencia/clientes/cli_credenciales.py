"""Órdenes ``vmre credenciales …`` (provisional: lo completa el trabajo de credenciales)."""

import click


@click.group(help="Autoridad de credenciales de votación.")
def credenciales() -> None:
    pass
