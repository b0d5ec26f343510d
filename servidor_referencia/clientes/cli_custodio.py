"""Órdenes ``vmre custodio …`` (provisional: lo completa el trabajo de la ceremonia)."""

import click


@click.group(help="Custodio de la llave: ceremonia y descifrado desde su propia máquina.")
def custodio() -> None:
    pass
