"""Órdenes ``vmre servidor …`` (se agregan a ``vmre`` por el grupo de entrada ``vmre.ordenes``)."""

from __future__ import annotations

import sys
import time

import click


def _configuracion(
    db: str,
    url_publica: str,
    smtp_anfitrion: str,
    smtp_puerto: int,
    smtp_starttls: bool,
    smtp_ca: str | None,
    smtp_usuario: str | None,
    remitente: str,
    clave: str | None,
):  # type: ignore[no-untyped-def]
    import os
    from pathlib import Path

    from .configuracion import Configuracion, ConfiguracionCorreo, clave_secreta_persistente

    clave_bytes = clave_secreta_persistente(Path(clave or "instancia/clave-cookies.bin"))
    correo = ConfiguracionCorreo(
        anfitrion=smtp_anfitrion,
        puerto=smtp_puerto,
        starttls=smtp_starttls,
        ca_archivo=smtp_ca,
        usuario=smtp_usuario,
        contrasena=os.environ.get("VMRE_SMTP_CONTRASENA"),
        remitente=remitente,
    )
    return Configuracion(url_bd=db, clave_secreta=clave_bytes, url_publica=url_publica.rstrip("/"), correo=correo)


def _opciones(f):  # type: ignore[no-untyped-def]
    opciones = [
        click.option(
            "--db",
            default="sqlite:///instancia/vmre.sqlite3",
            show_default=True,
            help="URL de la base: sqlite:///archivo o postgresql://usuario@anfitrion/base.",
        ),
        click.option(
            "--url-publica",
            default="http://localhost:8080",
            show_default=True,
            help="Dirección con la que las personas llegan al servidor (va en los correos).",
        ),
        click.option("--smtp-anfitrion", default="localhost", show_default=True),
        click.option("--smtp-puerto", default=25, show_default=True, type=int),
        click.option("--smtp-starttls/--sin-starttls", default=False, show_default=True),
        click.option("--smtp-ca", default=None, help="Archivo PEM con los certificados de confianza para STARTTLS."),
        click.option("--smtp-usuario", default=None, help="Usuario SMTP (contraseña en VMRE_SMTP_CONTRASENA)."),
        click.option("--remitente", default="SRVE-INE <no-responder@vmre.local>", show_default=True),
        click.option("--clave-cookies", "clave", default=None, help="Archivo con la clave que firma las cookies."),
    ]
    for o in reversed(opciones):
        f = o(f)
    return f


@click.group(help="Servidor de referencia: iniciar y administrar.")
def servidor() -> None:
    pass


@servidor.command(help="Inicia el servidor HTTP (waitress) con la base indicada.")
@_opciones
@click.option("--anfitrion", default="127.0.0.1", show_default=True)
@click.option("--puerto", default=8080, show_default=True, type=int)
@click.option("--hilos", default=8, show_default=True, type=int)
@click.option(
    "--procesos-verificacion",
    default=None,
    type=click.IntRange(min=0),
    help="Procesos que verifican boletas (§20.19); por omisión, uno por núcleo; 0 = en el hilo de la petición.",
)
def iniciar(anfitrion: str, puerto: int, hilos: int, procesos_verificacion: int | None, **kw: object) -> None:
    import logging
    import os

    from waitress import serve

    from .dominio import verificacion_paralela
    from .web.aplicacion import crear_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = crear_app(_configuracion(**kw))  # type: ignore[arg-type]
    procesos = (os.cpu_count() or 1) if procesos_verificacion is None else procesos_verificacion
    verificacion_paralela.configurar(app, procesos).arrancar()
    click.echo(
        f"Servidor vmre en http://{anfitrion}:{puerto}/ (base: {kw['db'].split('@')[-1]}; "  # type: ignore[union-attr]
        f"{procesos} procesos de verificación)",
        err=True,
    )
    try:
        serve(app, host=anfitrion, port=puerto, threads=hilos, ident="vmre")
    finally:
        verificacion_paralela.cerrar(app)


@servidor.command("crear-usuario", help="Crea una cuenta del personal activa y muestra su secreto TOTP una sola vez.")
@_opciones
@click.option("--usuario", required=True)
@click.option("--nombre", required=True)
@click.option("--correo", required=True)
@click.option(
    "--rol",
    required=True,
    type=click.Choice(
        [
            "administrador",
            "operador",
            "operador_inetel",
            "custodio",
            "auditor",
            "representante",
            "autoridad_credenciales",
        ]
    ),
)
@click.option(
    "--contrasena",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="VMRE_CONTRASENA_NUEVA",
    help="Se pide en la terminal si no se da.",
)
@click.option(
    "--totp-secreto",
    default=None,
    envvar="VMRE_TOTP_SECRETO",
    help="Secreto base32 propio (p. ej. para clientes automáticos); si no, se genera uno.",
)
def crear_usuario(
    usuario: str, nombre: str, correo: str, rol: str, contrasena: str, totp_secreto: str | None, **kw: object
) -> None:
    from .bd.base import crear_esquema, crear_fabrica, crear_motor, transaccion
    from .dominio import personal
    from .dominio.roles import Rol
    from .dominio.secretos import codigo_totp, secreto_totp_nuevo, uri_totp
    from .errores import ErrorServidor

    cfg = _configuracion(**kw)  # type: ignore[arg-type]
    motor = crear_motor(cfg.url_bd)
    crear_esquema(motor)
    secreto = totp_secreto or secreto_totp_nuevo()
    try:
        with transaccion(crear_fabrica(motor)) as bd:
            fila = personal.crear_usuario(bd, usuario, nombre, correo, Rol(rol), "consola", "consola")
            personal.activar(bd, fila, contrasena, secreto, codigo_totp(secreto, time.time() - 30))
    except ErrorServidor as e:
        click.echo(f"Error [{e.codigo.value}]: {e.mensaje}", err=True)
        sys.exit(1)
    click.echo(f"Cuenta «{usuario}» ({rol}) creada y activa.")
    click.echo(f"Secreto TOTP (guárdelo en su app autenticadora; no se volverá a mostrar): {secreto}")
    click.echo(f"URI: {uri_totp(secreto, usuario)}")
