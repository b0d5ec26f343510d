"""La autoridad de credenciales, fuera del servidor (§17.6).

Habla con el servidor solo por HTTP (``urllib`` de la biblioteca estándar) y con los
electores solo por su propia conexión SMTP.  Los secretos x nunca salen de este proceso
salvo en el correo a su elector: al servidor van únicamente las X, ordenadas.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from vmre_crypto import (
    GRUPO_ESTANDAR,
    a_json,
    codificar_credencial_secreta,
    generar_credencial,
    hash_lista_credenciales_del_grupo,
)

from .api_json import ClienteJSON, ErrorCliente


class ErrorAutoridad(ErrorCliente):
    """Una falla que la orden muestra tal cual: código estable y mensaje en español."""


@dataclass(frozen=True, slots=True)
class CorreoAutoridad:
    """La conexión SMTP propia de la autoridad (no la del servidor)."""

    anfitrion: str = "localhost"
    puerto: int = 25
    starttls: bool = False
    usuario: str | None = None
    contrasena: str | None = field(default=None, repr=False)
    remitente: str = "Autoridad de credenciales VMRE <credenciales@vmre.local>"
    tiempo_espera: float = 30.0


class ClienteAPI(ClienteJSON):
    """La API del servidor vista por la autoridad de credenciales."""

    Error = ErrorAutoridad

    def iniciar_sesion(self, usuario: str, contrasena: str, codigo: Callable[[int], str], reintentar: bool) -> None:
        self.iniciar_sesion_personal(
            usuario, contrasena, codigo, reintentar, "autoridad_credenciales", "autoridad de credenciales"
        )


@dataclass(frozen=True, slots=True)
class Resultado:
    corte: int
    num_credenciales: int
    hash_lista: str
    hash_lista_servidor: str

    @property
    def coincide(self) -> bool:
        return self.hash_lista == self.hash_lista_servidor


def _mensaje(
    correo: CorreoAutoridad, destinatario: str, corte: int, credencial: str, h_c: str, proceso: str
) -> EmailMessage:
    m = EmailMessage()
    m["From"] = correo.remitente
    m["To"] = destinatario
    m["Subject"] = f"Su credencial de votación — {proceso}"
    m["Date"] = formatdate(localtime=False, usegmt=True)
    m["Message-ID"] = make_msgid(domain="credenciales.vmre")
    m.set_content(
        "Hola:\n\nEsta es su credencial de votación por internet. Es secreta: nadie más la tiene, ni el "
        "servidor de votación. La necesitará para votar; guárdela y no la comparta.\n\n"
        f"    {credencial}\n\n"
        "Puede escribirla con o sin guiones, en mayúsculas o minúsculas. Si se equivoca en un símbolo, "
        "el sistema se lo dirá.\n\n"
        f"Lista nominal: corte n.º {corte}. Huella de la lista pública de credenciales (H_C):\n{h_c}\n"
        "Compárela con la que publica el instituto. Si recibe más de un correo con credencial para el "
        "mismo corte, vale la del correo cuya huella coincide con la publicada.\n\n"
        "Autoridad de credenciales\n",
        charset="utf-8",
    )
    return m


def _enviar_todos(correo: CorreoAutoridad, mensajes: list[EmailMessage], avance: Callable[[int], None]) -> None:
    with smtplib.SMTP(correo.anfitrion, correo.puerto, timeout=correo.tiempo_espera) as smtp:
        smtp.ehlo()
        if correo.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if correo.usuario:
            smtp.login(correo.usuario, correo.contrasena or "")
        for i, m in enumerate(mensajes, start=1):
            smtp.send_message(m)
            avance(i)


def generar_y_entregar(
    api: ClienteAPI,
    corte: int,
    correo: CorreoAutoridad,
    *,
    proceso: str = "VMRE",
    avance: Callable[[str], None] = lambda _t: None,
) -> Resultado:
    """Pasos (17.12b)–(17.12f): comprobar, generar, entregar por correo, cargar y cotejar H_C."""
    estado = {c["corte"]: c for c in api.pedir("GET", "/credenciales")["cortes"]}
    if corte not in estado:
        raise ErrorAutoridad("no_encontrado", f"No hay un corte electrónico n.º {corte}.")
    if estado[corte]["credenciales"] is not None:
        raise ErrorAutoridad("credenciales_ya_cargadas", f"El corte {corte} ya tiene su lista de credenciales.")
    destinatarios: list[str] = api.pedir("GET", f"/credenciales/cortes/{corte}/destinatarios")["destinatarios"]
    avance(f"{len(destinatarios)} destinatarios; generando credenciales…")
    pares = [generar_credencial(GRUPO_ESTANDAR) for _ in destinatarios]
    publicas = sorted((p.publica for p in pares), key=lambda x: int(x.valor))
    h_c = hash_lista_credenciales_del_grupo(GRUPO_ESTANDAR, publicas).hex()
    mensajes = [
        _mensaje(correo, d, corte, codificar_credencial_secreta(p.secreta), h_c, proceso)
        for d, p in zip(destinatarios, pares, strict=True)
    ]
    del pares  # los secretos solo viven en los mensajes, que se descartan al enviarse
    _enviar_todos(correo, mensajes, lambda i: avance(f"correo {i}/{len(mensajes)}") if i % 100 == 0 else None)
    mensajes.clear()
    avance("correos enviados; cargando la lista pública…")
    try:
        r = api.pedir("POST", f"/credenciales/cortes/{corte}", {"publicas": [a_json(x) for x in publicas]})
    except ErrorAutoridad as e:
        raise ErrorAutoridad(
            e.codigo,
            f"{e.mensaje} Los correos ya salieron con credenciales que NO valen: vuelva a ejecutar la orden (17.12f).",
            e.detalles,
        ) from None
    return Resultado(corte, int(r["num_credenciales"]), h_c, str(r["hash_lista"]))
