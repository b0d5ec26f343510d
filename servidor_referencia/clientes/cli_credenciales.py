"""Órdenes ``vmre credenciales …``: la autoridad de credenciales de votación (17.12).

Corre en la máquina de la autoridad, no en la del servidor: habla con la API por HTTP y
entrega cada credencial secreta al elector por su propia conexión SMTP.
"""

from __future__ import annotations

import os
import sys

import click

from .api_json import codigo_desde_secreto
from .autoridad import ClienteAPI, CorreoAutoridad, ErrorAutoridad, generar_y_entregar


@click.group(help="Autoridad de credenciales de votación.")
def credenciales() -> None:
    pass


@credenciales.command(
    help="Genera una credencial por elector de un corte electrónico, envía a cada elector "
    "la suya por correo y carga en el servidor solo la lista pública."
)
@click.option("--servidor", required=True, help="URL del servidor, p. ej. https://vmre.ejemplo.mx")
@click.option("--usuario", required=True, help="Usuario con el rol autoridad_credenciales.")
@click.option("--corte", required=True, type=int, help="Número del corte electrónico de la LNERE.")
@click.option(
    "--contrasena",
    envvar="VMRE_CONTRASENA",
    prompt=True,
    hide_input=True,
    help="Se pide en la terminal si no se da (o en VMRE_CONTRASENA).",
)
@click.option(
    "--totp-secreto",
    envvar="VMRE_TOTP_SECRETO",
    default=None,
    help="Secreto TOTP base32 para automatizar; si no se da, se pide el código de 6 dígitos.",
)
@click.option("--smtp-anfitrion", default="localhost", show_default=True)
@click.option("--smtp-puerto", default=25, show_default=True, type=int)
@click.option("--smtp-starttls/--sin-starttls", default=False, show_default=True)
@click.option("--smtp-usuario", default=None, help="Usuario SMTP (contraseña en VMRE_SMTP_CONTRASENA).")
@click.option("--remitente", default="Autoridad de credenciales VMRE <credenciales@vmre.local>", show_default=True)
@click.option("--proceso", default="Simulacro VMRE", show_default=True, help="Nombre del proceso en los correos.")
def generar(
    servidor: str,
    usuario: str,
    corte: int,
    contrasena: str,
    totp_secreto: str | None,
    smtp_anfitrion: str,
    smtp_puerto: int,
    smtp_starttls: bool,
    smtp_usuario: str | None,
    remitente: str,
    proceso: str,
) -> None:
    correo = CorreoAutoridad(
        anfitrion=smtp_anfitrion,
        puerto=smtp_puerto,
        starttls=smtp_starttls,
        usuario=smtp_usuario,
        contrasena=os.environ.get("VMRE_SMTP_CONTRASENA"),
        remitente=remitente,
    )
    api = ClienteAPI(servidor)
    if totp_secreto:
        codigo = codigo_desde_secreto(totp_secreto.strip().replace(" ", "").upper())
    else:

        def codigo(_desfase: int) -> str:
            return str(click.prompt("Código de 6 dígitos de su app autenticadora", type=str)).strip()

    try:
        api.iniciar_sesion(usuario, contrasena, codigo, reintentar=bool(totp_secreto))
        resultado = generar_y_entregar(
            api, corte, correo, proceso=proceso, avance=lambda texto: click.echo(texto, err=True)
        )
    except ErrorAutoridad as e:
        click.echo(f"Error [{e.codigo}]: {e.mensaje}", err=True)
        if e.detalles:
            click.echo(f"Detalles: {e.detalles}", err=True)
        sys.exit(1)
    except OSError as e:  # SMTP o red: la lista se carga solo después de enviar todos los correos
        click.echo(
            f"Error [correo]: falla de red o de SMTP ({type(e).__name__}: {e}). "
            "Si no se cargó la lista, vuelva a ejecutar la orden.",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Corte: {resultado.corte}")
    click.echo(f"N = {resultado.num_credenciales}")
    click.echo(f"H_C = {resultado.hash_lista}")
    if not resultado.coincide:
        click.echo(
            f"¡ATENCIÓN! El servidor publicó H_C = {resultado.hash_lista_servidor}, distinto del calculado aquí.",
            err=True,
        )
        sys.exit(2)
    click.echo("El H_C publicado por el servidor coincide con el calculado aquí.")
