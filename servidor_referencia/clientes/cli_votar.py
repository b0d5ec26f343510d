"""Orden ``vmre votar``: el elector cifra y firma en su dispositivo, ve su código de confirmación y
deposita o desafía (Benaloh) su boleta (§20.2)."""

from __future__ import annotations

import json
import sys

import click

from .votante import ClienteVotante, ErrorVotante, codigo_de, leer_credencial, leer_marcas


def _pedir_marcas(contiendas: list[dict[str, object]]) -> dict[int, tuple[int, ...]]:
    for c in contiendas:
        click.echo(f"\nContienda {c['indice']}: {c['etiqueta']} (marque hasta {c['limite_seleccion']})")
        for o in c["opciones"]:  # type: ignore[attr-defined]
            click.echo(f"  {o['indice']}. {o['etiqueta']}")
    texto = click.prompt('\nSelección en JSON, p. ej. {"1": [3]}')
    return leer_marcas(texto)


@click.command(name="votar", help="Vota desde este dispositivo: cifra, firma, muestra el código y deposita o desafía.")
@click.option("--servidor", required=True, help="URL del servidor, p. ej. https://sivei.ine.mx")
@click.option("--proceso", required=True, type=int, help="Número del proceso electoral.")
@click.option("--correo", required=True, help="Correo de su cuenta de elector.")
@click.option("--contrasena", prompt=True, hide_input=True, envvar="VMRE_CONTRASENA", help="Contraseña de su cuenta.")
@click.option("--codigo", prompt="Código de su aplicación de autenticación", envvar="VMRE_CODIGO", help="Código TOTP.")
@click.option(
    "--credencial",
    prompt="Credencial de votación",
    hide_input=True,
    envvar="VMRE_CREDENCIAL",
    help="Credencial de votación (mejor por la variable VMRE_CREDENCIAL o por la pregunta).",
)
@click.option("--seleccion", default=None, help='Marcas en JSON: {"contienda": [opciones]}; si falta, se pregunta.')
@click.option("--desafiar", is_flag=True, help="Desafiar (abrir y descartar) esta boleta en vez de depositarla.")
@click.option("--json", "como_json", is_flag=True, help="Imprimir el recibo en JSON.")
def votar(
    servidor: str,
    proceso: int,
    correo: str,
    contrasena: str,
    codigo: str,
    credencial: str,
    seleccion: str | None,
    desafiar: bool,
    como_json: bool,
) -> None:
    try:
        par = leer_credencial(credencial)
        cliente = ClienteVotante(servidor)
        cliente.iniciar_sesion(correo, contrasena, codigo.strip())
        datos, contexto = cliente.boleta(proceso)
        if datos.get("ya_voto"):
            raise ErrorVotante("ya_voto", "Usted ya depositó su boleta en este proceso.")
        marcas = leer_marcas(seleccion) if seleccion is not None else _pedir_marcas(datos["contiendas"])
        click.echo(f"H_E de la elección: {datos['h_e']}")
        preparada = cliente.preparar(contexto, datos["estilo"], marcas, par)
        click.echo(f"Código de confirmación: {codigo_de(preparada)}")
        if desafiar:
            respuesta = cliente.desafiar(proceso, preparada)
            abiertas = {int(k): tuple(v) for k, v in respuesta["selecciones"].items()}
            esperadas = {c: marcas.get(c, ()) for c in abiertas}
            coincide = abiertas == esperadas
            if como_json:
                click.echo(json.dumps({**respuesta, "coincide": coincide}, ensure_ascii=False))
            click.echo(f"Boleta desafiada en la posición {respuesta['posicion']}; no se contará.")
            if not coincide:
                click.echo("¡La apertura NO coincide con su selección! Avise a la autoridad.", err=True)
                sys.exit(1)
            click.echo("La apertura coincide con su selección. Puede votar de nuevo con una boleta nueva.")
            return
        recibo = cliente.depositar(proceso, preparada)
    except ErrorVotante as e:
        click.echo(f"Error [{e.codigo}]: {e.mensaje}", err=True)
        if e.detalles.get("motivo"):
            click.echo(f"Motivo: {e.detalles['motivo']}", err=True)
        sys.exit(1)
    if como_json:
        click.echo(json.dumps(recibo, ensure_ascii=False))
    click.echo("Boleta depositada.")
    click.echo(
        f"Recibo: código {recibo['codigo_confirmacion']}, posición {recibo['posicion']}, hora {recibo['tiempo']}"
    )
    click.echo(f"Cabeza del tablero: {recibo['cabeza_tablero']}")
    click.echo(
        f"Consulte su código en {servidor.rstrip('/')}/sivei/tablero/{proceso}?codigo={recibo['codigo_confirmacion']}"
    )
