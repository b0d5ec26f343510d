"""El servidor como proceso de verdad: ``vmre servidor crear-usuario`` e ``iniciar`` (waitress) en
un puerto de 127.0.0.1, hablado con urllib; datos, sesiones y la clave de las cookies persisten
entre reinicios, y una escritura confirmada sobrevive a ``kill -9``."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from herramientas import puerto_libre, vmre_instalada

from servidor_referencia.dominio.secretos import codigo_totp, secreto_totp_nuevo

if TYPE_CHECKING:
    from conftest import Buzon

pytestmark = pytest.mark.lento

CONTRASENA = "contraseña-de-la-administradora"


class Totp:
    """Códigos de un secreto sin repetir intervalo (el servidor rechaza un código ya usado)."""

    def __init__(self, secreto: str, ultimo: int) -> None:
        self.secreto, self.ultimo = secreto, ultimo

    def codigo(self) -> str:
        paso = max(int(time.time() // 30), self.ultimo + 1)  # nunca el anterior: caducaría al cambiar
        while paso > int(time.time() // 30) + 1:
            time.sleep(1)
        self.ultimo = paso
        return codigo_totp(self.secreto, paso * 30 + 1)


class Proceso:
    """Un ``vmre servidor iniciar`` en segundo plano, con su salida en un archivo."""

    def __init__(self, carpeta: Path, url_bd: str, puerto_smtp: int, clave: Path) -> None:
        self.carpeta, self.url_bd, self.puerto_smtp, self.clave = carpeta, url_bd, puerto_smtp, clave
        self.puerto = puerto_libre()
        self.url = f"http://127.0.0.1:{self.puerto}"
        self.registro = carpeta / f"servidor-{self.puerto}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def opciones(self) -> list[str]:
        return [
            "--db",
            self.url_bd,
            "--smtp-anfitrion",
            "127.0.0.1",
            "--smtp-puerto",
            str(self.puerto_smtp),
            "--clave-cookies",
            str(self.clave),
            "--url-publica",
            self.url,
        ]

    def iniciar(self) -> Proceso:
        salida = self.registro.open("wb")
        self.proc = subprocess.Popen(
            [vmre_instalada(), "servidor", "iniciar", *self.opciones(), "--puerto", str(self.puerto), "--hilos", "4"],
            cwd=self.carpeta,
            stdout=salida,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        salida.close()
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            if self.proc.poll() is not None:
                raise AssertionError(f"el servidor terminó al arrancar:\n{self.registro.read_text()}")
            try:
                estado, datos = pedir(f"{self.url}/api/v1/estado")
                if estado == 200:
                    assert datos == {"estado": "en_servicio", "version_api": "v1"}
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"el servidor no respondió:\n{self.registro.read_text()}")

    def detener(self, senal: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(senal)
            self.proc.wait(timeout=20)
        self.proc = None


def pedir(
    url: str,
    metodo: str = "GET",
    json_: Any = None,
    cabeceras: dict[str, str] | None = None,
    formulario: dict[str, str] | None = None,
    abridor: urllib.request.OpenerDirector | None = None,
) -> tuple[int, Any]:
    datos = None
    cabeceras = dict(cabeceras or {})
    if json_ is not None:
        datos = json.dumps(json_).encode()
        cabeceras["Content-Type"] = "application/json"
    elif formulario is not None:
        datos = urllib.parse.urlencode(formulario).encode()
        cabeceras["Content-Type"] = "application/x-www-form-urlencoded"
    peticion = urllib.request.Request(url, data=datos, headers=cabeceras, method=metodo)
    try:
        with (abridor.open if abridor else urllib.request.urlopen)(peticion, timeout=30) as r:
            cuerpo, estado, tipo = r.read(), r.status, r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        cuerpo, estado, tipo = e.read(), e.code, e.headers.get("Content-Type", "")
    if tipo.startswith("application/json"):
        return estado, json.loads(cuerpo)
    return estado, cuerpo.decode("utf-8")


@pytest.fixture
def procesos() -> Iterator[list[Proceso]]:
    vivos: list[Proceso] = []
    yield vivos
    for p in vivos:
        p.detener(signal.SIGKILL)


def _crear_administradora(carpeta: Path, proceso: Proceso, usuario: str = "admin") -> Totp:
    secreto = secreto_totp_nuevo()
    entorno = {**os.environ, "VMRE_CONTRASENA_NUEVA": CONTRASENA, "VMRE_TOTP_SECRETO": secreto}
    r = subprocess.run(
        [
            vmre_instalada(),
            "servidor",
            "crear-usuario",
            *proceso.opciones(),
            "--usuario",
            usuario,
            "--nombre",
            "Administradora del Simulacro",
            "--correo",
            f"{usuario}@ine.example",
            "--rol",
            "administrador",
        ],
        cwd=carpeta,
        env=entorno,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert f"Cuenta «{usuario}» (administrador) creada y activa." in r.stdout
    assert CONTRASENA not in r.stdout + r.stderr
    # La activación por consola usó el intervalo anterior al de ese momento.
    return Totp(secreto, int(time.time() // 30) - 1)


def _entrar_api(url: str, usuario: str, contrasena: str, totp: Totp) -> dict[str, str]:
    estado, datos = pedir(
        f"{url}/api/v1/sesion", "POST", {"usuario": usuario, "contrasena": contrasena, "codigo": totp.codigo()}
    )
    assert estado == 201, datos
    return {"Authorization": f"Bearer {datos['testigo']}"}


def _esperar_correo(buzon: Buzon, direccion: str, segundos: float = 20) -> Any:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        mensajes = buzon.para(direccion)
        if mensajes:
            return mensajes[-1]
        time.sleep(0.1)
    raise AssertionError(f"no llegó correo a {direccion}")


def _abridor() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    galletas = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(galletas)), galletas


def test_proceso_real_de_principio_a_fin(
    tmp_path: Path, url_bd: str, buzon: tuple[Buzon, int], procesos: list[Proceso]
) -> None:
    correo, puerto_smtp = buzon
    clave = tmp_path / "instancia" / "clave-cookies.bin"
    primero = Proceso(tmp_path, url_bd, puerto_smtp, clave)
    totp_admin = _crear_administradora(tmp_path, primero)
    procesos.append(primero.iniciar())

    admin = _entrar_api(primero.url, "admin", CONTRASENA, totp_admin)
    estado, datos = pedir(
        f"{primero.url}/api/v1/personal/usuarios",
        "POST",
        {
            "usuario": "operadora",
            "nombre": "Operadora Dictaminadora",
            "correo": "operadora@ine.example",
            "rol": "operador",
        },
        admin,
    )
    assert estado == 201 and datos["activo"] is False

    # El correo de activación sale solo (hilo de fondo del proceso) por SMTP real.
    mensaje = _esperar_correo(correo, "operadora@ine.example")
    assert mensaje["Subject"] == "Active su cuenta del sistema VMRE"
    texto = mensaje.get_body(preferencelist=("plain",)).get_content()
    enlace = re.search(re.escape(primero.url) + r"/personal/activar/([A-Za-z0-9_-]+)", texto)
    assert enlace, texto
    secreto = secreto_totp_nuevo()
    momento = time.time()
    estado, datos = pedir(
        f"{primero.url}/api/v1/personal/activar",
        "POST",
        {
            "testigo": enlace.group(1),
            "contrasena": "contraseña-de-la-operadora",
            "totp_secreto": secreto,
            "codigo": codigo_totp(secreto, momento),
        },
    )
    assert (estado, datos) == (200, {"usuario": "operadora", "activo": True})
    totp_operadora = Totp(secreto, int(momento // 30))

    # La operadora entra por las páginas (cookie firmada + CSRF).
    abridor, galletas = _abridor()
    estado, html = pedir(f"{primero.url}/personal/acceso", abridor=abridor)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    estado, html = pedir(
        f"{primero.url}/personal/acceso",
        "POST",
        formulario={
            "usuario": "operadora",
            "contrasena": "contraseña-de-la-operadora",
            "codigo": totp_operadora.codigo(),
            "_csrf": csrf,
        },
        abridor=abridor,
    )
    assert estado == 200 and "operadora" in html, html

    primero.detener()
    assert clave.stat().st_mode & 0o777 == 0o600 and len(clave.read_bytes()) == 32
    contenido_clave = clave.read_bytes()

    # Reinicio sobre la misma base y la misma clave: datos, sesiones y cookies siguen valiendo.
    segundo = Proceso(tmp_path, url_bd, puerto_smtp, clave)
    procesos.append(segundo.iniciar())
    assert clave.read_bytes() == contenido_clave
    estado, datos = pedir(f"{segundo.url}/api/v1/bitacora", cabeceras=admin)
    assert estado == 200 and datos["integra"] is True
    acciones = [(e["accion"], e["objeto"]) for e in datos["entradas"]]
    assert [a for a, _ in acciones] == [
        "crear_usuario",
        "activar_cuenta",
        "iniciar_sesion",
        "crear_usuario",
        "activar_cuenta",
        "iniciar_sesion",
    ]
    for galleta in galletas:  # la cookie se emitió para el puerto anterior: se reenvía a mano
        galleta.port = None
    abridor2 = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(galletas), _SinRedireccion())
    estado, html = pedir(f"{segundo.url}/personal/", abridor=abridor2)
    assert estado == 200 and "operadora" in html
    # Un enlace ya usado sigue usado tras el reinicio.
    estado, datos = pedir(
        f"{segundo.url}/api/v1/personal/activar",
        "POST",
        {"testigo": enlace.group(1), "contrasena": "x" * 12, "totp_secreto": secreto, "codigo": "000000"},
    )
    assert estado == 410 and datos["error"]["codigo"] == "enlace_usado"
    segundo.detener()

    # Con otra clave de cookies, la cookie anterior ya no vale (prueba de que la clave es la que persiste).
    tercero = Proceso(tmp_path, url_bd, puerto_smtp, tmp_path / "otra-clave.bin")
    procesos.append(tercero.iniciar())
    estado, _ = pedir(f"{tercero.url}/personal/", abridor=abridor2)
    assert estado == 302
    tercero.detener()

    registro = "".join(p.registro.read_text() for p in (primero, segundo, tercero))
    for secreto_visible in (
        CONTRASENA,
        "contraseña-de-la-operadora",
        secreto,
        totp_admin.secreto,
        enlace.group(1),
        admin["Authorization"][7:],
    ):
        assert secreto_visible not in registro


class _SinRedireccion(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_a: Any, **_k: Any) -> None:
        return None


def test_escritura_confirmada_sobrevive_kill_9(
    tmp_path: Path, url_bd: str, buzon: tuple[Buzon, int], procesos: list[Proceso]
) -> None:
    _correo, puerto_smtp = buzon
    clave = tmp_path / "clave.bin"
    primero = Proceso(tmp_path, url_bd, puerto_smtp, clave)
    totp = _crear_administradora(tmp_path, primero, "jefa")
    procesos.append(primero.iniciar())
    admin = _entrar_api(primero.url, "jefa", CONTRASENA, totp)
    estado, datos = pedir(
        f"{primero.url}/api/v1/personal/usuarios",
        "POST",
        {
            "usuario": "superviviente",
            "nombre": "Cuenta Superviviente",
            "correo": "superviviente@ine.example",
            "rol": "auditor",
        },
        admin,
    )
    assert estado == 201
    primero.detener(signal.SIGKILL)  # sin apagado ordenado, justo después de la respuesta

    segundo = Proceso(tmp_path, url_bd, puerto_smtp, clave)
    procesos.append(segundo.iniciar())
    estado, datos = pedir(f"{segundo.url}/api/v1/bitacora", cabeceras=admin)
    assert estado == 200 and datos["integra"] is True
    assert datos["entradas"][-1]["accion"] == "crear_usuario"
    assert datos["entradas"][-1]["detalles"] == {"usuario": "superviviente", "rol": "auditor"}
    # La cuenta existe: otra alta con el mismo correo choca.
    estado, datos = pedir(
        f"{segundo.url}/api/v1/personal/usuarios",
        "POST",
        {"usuario": "otra", "nombre": "Otra", "correo": "superviviente@ine.example", "rol": "auditor"},
        admin,
    )
    assert estado == 409 and datos["error"]["codigo"] == "conflicto"
    segundo.detener()
