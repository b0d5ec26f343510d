"""Correo real: la bandeja de salida se entrega por SMTP a aiosmtpd (texto plano y STARTTLS con
AUTH LOGIN), con reintentos, fallo definitivo, borrado de cuerpos sensibles y el hilo de fondo."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask
from herramientas import crear_personal, cuerpo, puerto_libre, sesion_api
from sqlalchemy import select

from servidor_referencia import Configuracion, crear_app
from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.correo import MensajeSaliente
from servidor_referencia.configuracion import ConfiguracionCorreo
from servidor_referencia.dominio.correo import encolar
from servidor_referencia.dominio.envio_correo import despachar_pendientes
from servidor_referencia.dominio.roles import Rol

if TYPE_CHECKING:
    from conftest import Buzon

ASUNTO = "Confirmación de su solicitud — número de folio MX-2027-ñ"
TEXTO = "Estimada ciudadana:\n\nRecibimos su solicitud. Año electoral 2027; país: Perú; acentos: áéíóú ü ñ ¿¡.\n"


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _encolar(app: Flask, destinatario: str, *, sensible: bool = False, asunto: str = ASUNTO, texto: str = TEXTO) -> int:
    with transaccion(_fabrica(app)) as bd:
        return encolar(bd, destinatario, asunto, texto, sensible=sensible).id


def _mensaje(app: Flask, ident: int) -> MensajeSaliente:
    with transaccion(_fabrica(app)) as bd:
        fila = bd.get(MensajeSaliente, ident)
        assert fila is not None
        bd.expunge(fila)
        return fila


def _vencer(app: Flask) -> None:
    with transaccion(_fabrica(app)) as bd:
        for fila in bd.scalars(select(MensajeSaliente).where(MensajeSaliente.estado == "pendiente")):
            fila.proximo_intento = ahora() - timedelta(seconds=1)


def _correo(app: Flask) -> ConfiguracionCorreo:
    return app.extensions["vmre"]["configuracion"].correo  # type: ignore[no-any-return]


def test_entrega_real_con_cabeceras_y_utf8(app: Flask, correo: Buzon) -> None:
    ident = _encolar(app, "ciudadana@correo.example")
    assert despachar_pendientes(_fabrica(app), _correo(app)) == 1
    [m] = correo.para("ciudadana@correo.example")
    assert m["Subject"] == ASUNTO
    assert str(m["From"]) == "SRVE-INE <no-responder@vmre.local>"
    assert str(m["To"]) == "ciudadana@correo.example"
    assert m["Date"] and m["Message-ID"] and f"vmre{ident}" in str(m["Message-ID"])
    assert str(m["Message-ID"]).endswith("@vmre.local>")  # dominio del remitente, sin consultar DNS
    assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
    assert cuerpo(m) == TEXTO
    fila = _mensaje(app, ident)
    assert (fila.estado, fila.intentos, fila.ultimo_error) == ("enviado", 1, "")
    assert fila.enviado is not None and fila.cuerpo == TEXTO  # no sensible: se conserva
    # Nada más que enviar: una segunda pasada no reenvía.
    assert despachar_pendientes(_fabrica(app), _correo(app)) == 0
    assert len(correo.para("ciudadana@correo.example")) == 1


def test_cuerpo_sensible_se_borra_al_enviarse(app: Flask, correo: Buzon) -> None:
    texto = "Su enlace de un solo uso: http://localhost/cuentas/activar/abc123secreto\n"
    ident = _encolar(app, "elector@correo.example", sensible=True, texto=texto)
    assert _mensaje(app, ident).cuerpo == texto
    despachar_pendientes(_fabrica(app), _correo(app))
    assert cuerpo(correo.para("elector@correo.example")[0]).replace("\r\n", "\n") == texto
    fila = _mensaje(app, ident)
    assert fila.estado == "enviado" and fila.cuerpo == ""


def test_servidor_caido_reintenta_y_luego_entrega(app: Flask, correo: Buzon) -> None:
    caido = _correo(app).__class__(anfitrion="127.0.0.1", puerto=puerto_libre(), tiempo_espera=2.0)
    ident = _encolar(app, "paciente@correo.example", sensible=True)
    antes = ahora()
    assert despachar_pendientes(_fabrica(app), caido) == 0
    fila = _mensaje(app, ident)
    assert (fila.estado, fila.intentos) == ("pendiente", 1)
    assert fila.ultimo_error.startswith("ConnectionRefusedError")
    assert fila.proximo_intento >= antes + timedelta(seconds=4)  # espera 5 s tras el primer fallo
    assert fila.cuerpo  # aún no salió: el cuerpo se conserva
    # Antes de que venza la espera, ni siquiera con el servidor arriba se reintenta.
    assert despachar_pendientes(_fabrica(app), _correo(app)) == 0
    _vencer(app)
    assert despachar_pendientes(_fabrica(app), caido) == 0
    fila = _mensaje(app, ident)
    assert fila.intentos == 2 and fila.proximo_intento >= ahora() + timedelta(seconds=8)  # 10 s: espera exponencial
    _vencer(app)
    assert despachar_pendientes(_fabrica(app), _correo(app)) == 1
    fila = _mensaje(app, ident)
    assert (fila.estado, fila.intentos, fila.ultimo_error, fila.cuerpo) == ("enviado", 3, "", "")
    assert len(correo.para("paciente@correo.example")) == 1


def test_tras_max_intentos_queda_fallido(app: Flask, correo: Buzon) -> None:
    caido = ConfiguracionCorreo(anfitrion="127.0.0.1", puerto=puerto_libre(), max_intentos=3, tiempo_espera=2.0)
    ident = _encolar(app, "nunca@correo.example")
    for intento in range(1, 4):
        _vencer(app)
        despachar_pendientes(_fabrica(app), caido)
        assert _mensaje(app, ident).intentos == intento
    fila = _mensaje(app, ident)
    assert fila.estado == "fallido" and fila.ultimo_error
    _vencer(app)
    assert despachar_pendientes(_fabrica(app), _correo(app)) == 0  # un fallido ya no sale
    assert correo.para("nunca@correo.example") == []


def test_un_mensaje_rechazado_no_detiene_a_los_demas(app: Flask, correo: Buzon) -> None:
    ids = [_encolar(app, f"persona{i}@correo.example") for i in range(3)]
    assert despachar_pendientes(_fabrica(app), _correo(app), lote=2) == 3  # varios lotes
    assert all(_mensaje(app, i).estado == "enviado" for i in ids)


# ---------------------------------------------------------------- STARTTLS + AUTH LOGIN


class Autenticador:
    def __init__(self) -> None:
        self.intentos: list[tuple[str, bool]] = []

    def __call__(self, _server: Any, session: Any, _envelope: Any, mecanismo: str, datos: Any) -> AuthResult:
        ok = isinstance(datos, LoginPassword) and datos.login == b"srve-ine" and datos.password == b"clave-SMTP-2027"
        self.intentos.append((mecanismo, ok and bool(session.ssl)))
        return AuthResult(success=ok)


@pytest.fixture(scope="module")
def certificado(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Certificado autofirmado para 127.0.0.1, hecho en el momento con la orden openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("no está la orden openssl")
    carpeta = tmp_path_factory.mktemp("tls")
    for nombre, san in (("cert", "IP:127.0.0.1,DNS:localhost"), ("otro", "DNS:smtp.otro.example")):
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                f"/CN={san.split(':')[1].split(',')[0]}",
                "-addext",
                f"subjectAltName={san}",
                "-keyout",
                str(carpeta / f"{nombre}-llave.pem"),
                "-out",
                str(carpeta / f"{nombre}.pem"),
            ],
            check=True,
            capture_output=True,
        )
    return carpeta / "cert.pem", carpeta / "cert-llave.pem"


@pytest.fixture
def smtp_tls(certificado: tuple[Path, Path], correo: Buzon) -> Any:
    cert, llave = certificado
    contexto = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexto.load_cert_chain(cert, llave)
    buzon, autenticador, puerto = type(correo)(), Autenticador(), puerto_libre()
    controlador = Controller(
        buzon,
        hostname="127.0.0.1",
        port=puerto,
        tls_context=contexto,
        require_starttls=True,
        authenticator=autenticador,
        auth_require_tls=True,
        auth_exclude_mechanism=["PLAIN"],
    )
    controlador.start()
    try:
        yield buzon, autenticador, puerto, cert
    finally:
        controlador.stop()


def test_starttls_y_auth_login(app: Flask, smtp_tls: Any) -> None:
    buzon, autenticador, puerto, cert = smtp_tls
    seguro = ConfiguracionCorreo(
        anfitrion="127.0.0.1",
        puerto=puerto,
        starttls=True,
        ca_archivo=str(cert),
        usuario="srve-ine",
        contrasena="clave-SMTP-2027",
        tiempo_espera=5.0,
    )
    assert "clave-SMTP" not in repr(seguro)
    ident = _encolar(app, "cifrado@correo.example")
    assert despachar_pendientes(_fabrica(app), seguro) == 1
    [m] = buzon.para("cifrado@correo.example")
    assert m["Subject"] == ASUNTO and cuerpo(m) == TEXTO
    assert autenticador.intentos == [("LOGIN", True)]  # AUTH LOGIN, ya dentro de TLS
    assert _mensaje(app, ident).estado == "enviado"


@pytest.mark.parametrize(
    "falla", ["contrasena", "contrasena_no_ascii", "sin_starttls", "certificado_no_confiable", "nombre_equivocado"]
)
def test_starttls_mal_configurado_no_entrega(app: Flask, smtp_tls: Any, falla: str) -> None:
    buzon, _autenticador, puerto, cert = smtp_tls
    base = {
        "anfitrion": "127.0.0.1",
        "puerto": puerto,
        "starttls": True,
        "ca_archivo": str(cert),
        "usuario": "srve-ine",
        "contrasena": "clave-SMTP-2027",
        "tiempo_espera": 5.0,
    }
    cambios: dict[str, Any] = {
        "contrasena": {"contrasena": "otra clave"},
        "contrasena_no_ascii": {"contrasena": "otra clave ñ"},  # smtplib no la codifica: error anotado, sin caída
        "sin_starttls": {"starttls": False},  # el servidor exige TLS antes de AUTH y de MAIL
        "certificado_no_confiable": {"ca_archivo": None},  # por omisión: solo las CA del sistema
        "nombre_equivocado": {"ca_archivo": str(cert.parent / "otro.pem")},  # confía en un certificado de otro nombre
    }[falla]
    ident = _encolar(app, "cifrado@correo.example")
    assert despachar_pendientes(_fabrica(app), ConfiguracionCorreo(**{**base, **cambios})) == 0
    fila = _mensaje(app, ident)
    assert (fila.estado, fila.intentos) == ("pendiente", 1)
    assert fila.ultimo_error and "otra clave" not in fila.ultimo_error and "clave-SMTP" not in fila.ultimo_error
    assert (
        fila.ultimo_error.split(":")[0]
        in {
            # aiosmtpd responde 535 y cierra la conexión; según el momento smtplib ve una u otra cosa.
            "contrasena": {"SMTPAuthenticationError", "SMTPServerDisconnected"},
            "contrasena_no_ascii": {"UnicodeEncodeError"},
            "sin_starttls": {"SMTPNotSupportedError"},  # sin TLS el servidor ni siquiera anuncia AUTH
            "certificado_no_confiable": {"SSLCertVerificationError"},
            "nombre_equivocado": {"SSLCertVerificationError"},
        }[falla]
    )
    assert buzon.para("cifrado@correo.example") == []


# ---------------------------------------------------------------- hilo de fondo


def test_despachador_de_fondo_entrega_sin_llamadas(configuracion: Configuracion, correo: Buzon) -> None:
    app = crear_app(configuracion.con(enviar_correo_en_segundo_plano=True))
    try:
        cliente = app.test_client()
        h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
        r = cliente.post(
            "/api/v1/personal/usuarios",
            headers=h,
            json={
                "usuario": "de.fondo",
                "nombre": "Persona de Fondo",
                "correo": "fondo@ine.example",
                "rol": "custodio",
            },
        )
        assert r.status_code == 201
        limite = time.monotonic() + 15
        while not correo.para("fondo@ine.example") and time.monotonic() < limite:
            time.sleep(0.05)
        [m] = correo.para("fondo@ine.example")
        assert m["Subject"] == "Active su cuenta del sistema VMRE"
        with transaccion(_fabrica(app)) as bd:
            fila = bd.scalars(select(MensajeSaliente)).one()
            assert fila.estado == "enviado" and fila.cuerpo == ""  # sensible: enlace de un solo uso
    finally:
        app.extensions["vmre"]["despachador"].detener()
        app.extensions["vmre"]["motor"].dispose()


def test_smtp_lento_no_bloquea_la_base(app: Flask, correo: Buzon) -> None:
    """La conversación SMTP ocurre fuera de la transacción: con un servidor que no contesta, las
    peticiones siguen escribiendo (en SQLite la transacción abierta tendría el candado de escritura)."""
    import threading

    with socket.socket() as mudo:  # acepta conexiones TCP pero nunca saluda
        mudo.bind(("127.0.0.1", 0))
        mudo.listen(8)
        lento = ConfiguracionCorreo(anfitrion="127.0.0.1", puerto=mudo.getsockname()[1], tiempo_espera=5.0)
        ident = _encolar(app, "lenta@correo.example")
        hilo = threading.Thread(target=despachar_pendientes, args=(_fabrica(app), lento))
        hilo.start()
        time.sleep(0.5)  # el despachador ya apartó el mensaje y espera el saludo
        inicio = time.monotonic()
        cliente = app.test_client()
        h = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
        r = cliente.post(
            "/api/v1/personal/usuarios",
            headers=h,
            json={
                "usuario": "sin.espera",
                "nombre": "Sin Espera",
                "correo": "sin.espera@ine.example",
                "rol": "auditor",
            },
        )
        assert r.status_code == 201
        assert time.monotonic() - inicio < 3.5  # el despachador sigue esperando el saludo (5 s)
        # Otro despachador no toma el mensaje apartado (no se envía dos veces).
        assert despachar_pendientes(_fabrica(app), _correo(app)) == 1  # solo el de la cuenta nueva
        hilo.join(timeout=10)
    fila = _mensaje(app, ident)
    assert (fila.estado, fila.intentos) == ("pendiente", 1) and "timed out" in fila.ultimo_error
    assert correo.para("lenta@correo.example") == []


def test_sin_starttls_la_contrasena_no_sale_a_la_red(app: Flask, correo: Buzon) -> None:
    """Con usuario y sin STARTTLS, ante un anfitrión remoto ni siquiera se intenta AUTH."""
    import smtplib

    from servidor_referencia.dominio import envio_correo

    conversaciones: list[str] = []

    class SmtpEspia:
        def __init__(self, anfitrion: str, *_a: Any, **_k: Any) -> None:
            conversaciones.append(anfitrion)

        def __enter__(self) -> SmtpEspia:
            return self

        def __exit__(self, *_a: Any) -> None:
            return None

        def ehlo(self) -> None:
            return None

        def login(self, *_a: Any) -> None:
            raise AssertionError("se intentó AUTH sin TLS")

    remoto = ConfiguracionCorreo(anfitrion="smtp.remoto.example", puerto=25, usuario="srve", contrasena="secreta")
    ident = _encolar(app, "remota@correo.example")
    original = smtplib.SMTP
    envio_correo.smtplib.SMTP = SmtpEspia  # type: ignore[misc]
    try:
        assert despachar_pendientes(_fabrica(app), remoto) == 0
    finally:
        envio_correo.smtplib.SMTP = original  # type: ignore[misc]
    assert conversaciones == ["smtp.remoto.example"]
    fila = _mensaje(app, ident)
    assert fila.estado == "pendiente" and "STARTTLS" in fila.ultimo_error and "secreta" not in fila.ultimo_error
