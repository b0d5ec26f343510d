"""Órdenes ``vmre lnere …`` (provisional: lo completa el trabajo del área LNERE)."""

import click


@click.group(help="Lista nominal de electores residentes en el extranjero.")
def lnere() -> None:
    pass
