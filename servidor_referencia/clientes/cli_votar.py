"""Orden ``vmre votar`` (provisional: lo completa el trabajo de la votación)."""

import click


@click.group(help="Cliente de votación del elector: cifra y firma en su dispositivo.")
def votar() -> None:
    pass
