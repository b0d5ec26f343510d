"""Línea de órdenes ``vmre`` (click).  Por ahora: ``vmre ejemplo``."""

from __future__ import annotations

import sys

import click

from .ejemplo import ResumenEjemplo, correr_ejemplo


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
def ejemplo(boletas: int, custodios: int, umbral: int, desafios: int, semilla: int | None) -> None:
    if umbral > custodios:
        raise click.BadParameter("el umbral no puede exceder el número de custodios", param_hint="--umbral")
    resumen = correr_ejemplo(
        boletas=boletas,
        custodios=custodios,
        cuorum=umbral,
        desafios=min(desafios, boletas),
        semilla=semilla,
        progreso=lambda texto: click.echo(f"• {texto}", err=True),
    )
    click.echo(formatear_resumen(resumen))
    if not resumen.coincide:
        click.echo("ERROR: los conteos descifrados no coinciden con las marcas emitidas.", err=True)
        sys.exit(1)


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


if __name__ == "__main__":  # pragma: no cover
    principal()
