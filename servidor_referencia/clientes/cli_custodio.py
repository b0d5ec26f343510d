"""Órdenes ``vmre custodio …``: el custodio de la llave desde su propia máquina (§19.5).

Cada orden inicia sesión (contraseña + TOTP), habla con el servidor por HTTP y guarda sus
secretos solo en el archivo de estado, cifrado con su frase (19.17).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .api_json import codigo_desde_secreto
from .custodio_ceremonia import CeremoniaCustodio, ClienteCustodio
from .custodio_estado import ErrorCustodio


def _opciones(espera: float) -> Callable[[Any], Any]:
    def decorar(f: Any) -> Any:
        for opcion in reversed(
            [
                click.option("--servidor", required=True, help="URL del servidor, p. ej. https://vmre.ejemplo.mx"),
                click.option("--usuario", required=True, help="Usuario del personal con el rol custodio."),
                click.option("--proceso", required=True, type=int, help="Número del proceso electoral."),
                click.option(
                    "--estado",
                    "ruta",
                    required=True,
                    type=click.Path(dir_okay=False, path_type=Path),
                    help="Archivo de estado cifrado del custodio (en su propio disco).",
                ),
                click.option(
                    "--contrasena",
                    envvar="VMRE_CONTRASENA",
                    prompt=True,
                    hide_input=True,
                    help="Se pide en la terminal si no se da (o en VMRE_CONTRASENA).",
                ),
                click.option(
                    "--totp-secreto",
                    envvar="VMRE_TOTP_SECRETO",
                    default=None,
                    help="Secreto TOTP base32 para automatizar; si no se da, se pide el código de 6 dígitos.",
                ),
                click.option(
                    "--frase",
                    envvar="VMRE_FRASE_CUSTODIO",
                    prompt="Frase del archivo de estado",
                    hide_input=True,
                    help="Frase que protege el archivo de estado (o VMRE_FRASE_CUSTODIO).",
                ),
                click.option(
                    "--espera",
                    default=espera,
                    show_default=True,
                    type=float,
                    help="Segundos que se espera a los demás custodios (0 = no esperar).",
                ),
            ]
        ):
            f = opcion(f)
        return f

    return decorar


def _fuente_de_codigos(totp_secreto: str | None) -> Callable[[int], str]:
    """Códigos TOTP: del secreto (automatización) o pedidos en la terminal."""
    if totp_secreto:
        return codigo_desde_secreto(totp_secreto)
    return lambda _desfase: str(click.prompt("Código de 6 dígitos de su app autenticadora", type=str)).strip()


def _avisar(texto: str) -> None:
    click.echo(texto, err=True)


def _salir(e: ErrorCustodio, codigo_salida: int) -> None:
    click.echo(f"Error [{e.codigo}]: {e.mensaje}", err=True)
    sys.exit(codigo_salida)


def _correr(
    paso: str,
    servidor: str,
    usuario: str,
    proceso: int,
    ruta: Path,
    contrasena: str,
    totp_secreto: str | None,
    frase: str,
    espera: float,
) -> None:
    api = ClienteCustodio(servidor)
    ceremonia = CeremoniaCustodio(api, proceso, ruta, frase, espera, avisar=_avisar)
    try:
        # Antes de iniciar sesión: la frase se comprueba (o el archivo nuevo no pisa otro).
        if paso == "registrar" and ruta.exists():
            raise ErrorCustodio("estado_existente", f"El archivo de estado {ruta} ya existe; no se sobrescribe.")
        if paso != "registrar" and (paso != "ceremonia" or ruta.exists()):
            ceremonia.custodio()
        api.iniciar_sesion(usuario, contrasena, _fuente_de_codigos(totp_secreto), reintentar=bool(totp_secreto))
        if paso == "registrar":
            click.echo(f"Índice de custodio: {ceremonia.registrar()}")
        elif paso == "ceremonia":
            click.echo(f"H_E = {ceremonia.ceremonia()}")
        else:
            getattr(ceremonia, paso)()
    except ErrorCustodio as e:
        _salir(e, 3 if e.codigo in ("queja_presentada", "ceremonia_detenida") else 1)


@click.group(help="Custodio de la llave: ceremonia y descifrado desde su propia máquina.")
def custodio() -> None:
    pass


#: Pasos de la ceremonia del custodio (§19.5): nombre, espera por omisión y ayuda.
_PASOS = (
    ("registrar", 0.0, "Crea su polinomio secreto y lo guarda cifrado con su frase (no lo envía)."),
    ("publicar", 0.0, "Publica sus compromisos y pruebas de Schnorr."),
    ("comparticiones", 0.0, "Verifica los compromisos de todos y envía sus comparticiones cifradas."),
    ("verificar", 0.0, "Descifra y verifica las comparticiones recibidas; confirma o presenta una queja."),
    ("confirmar", 0.0, "Recalcula el registro de llaves y confirma su hash H_R."),
    ("ceremonia", 600.0, "Corre los pasos que falten, en orden, esperando a los demás, hasta que se publica K."),
)


def _orden_de_paso(paso: str, espera: float, ayuda: str) -> None:
    def orden(**kw: Any) -> None:
        _correr(paso, **kw)

    custodio.command(name=paso, help=ayuda)(_opciones(espera)(orden))


for _paso, _espera, _ayuda in _PASOS:
    _orden_de_paso(_paso, _espera, _ayuda)


@custodio.command(help="Descifra su parte del escrutinio (si está en el cuórum) tras recalcularlo del tablero.")
@_opciones(600.0)
def descifrar(
    servidor: str,
    usuario: str,
    proceso: int,
    ruta: Path,
    contrasena: str,
    totp_secreto: str | None,
    frase: str,
    espera: float,
) -> None:
    """(21.16)–(21.17) Salidas: 0 parte aceptada (imprime el hash del resultado), 3 fuera del cuórum,
    4 el escrutinio publicado no es el recalculado (no se descifra), 1 otro error."""
    from .custodio_descifrado import DescifradoCustodio, EscrutinioDiscrepante, FueraDeCuorum

    api = ClienteCustodio(servidor)
    ceremonia = CeremoniaCustodio(api, proceso, ruta, frase, 0.0, avisar=_avisar)
    try:
        ceremonia.custodio()  # la frase se comprueba antes de hablar con el servidor
        api.iniciar_sesion(usuario, contrasena, _fuente_de_codigos(totp_secreto), reintentar=bool(totp_secreto))
        hecho = DescifradoCustodio(api, proceso, ceremonia.llave, espera, _avisar).descifrar()
        click.echo(f"Resultado = {hecho}")
    except FueraDeCuorum as e:
        _salir(e, 3)
    except EscrutinioDiscrepante as e:
        _salir(e, 4)
    except ErrorCustodio as e:
        _salir(e, 1)
