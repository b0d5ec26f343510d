"""Lo que el simulacro levanta alrededor del servidor (§22.1): un SMTP local en memoria, el
servidor como proceso aparte (``vmre servidor iniciar``), las cuentas del personal
(``vmre servidor crear-usuario``) y un cliente JSON sobre HTTP.

Nada de esto importa el servidor: el simulacro es un cliente más y habla con él por HTTP, por
SMTP y por la línea de órdenes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pyotp

TIEMPO_ESPERA_HTTP = 300.0


class ErrorSimulacro(Exception):
    """Una fase falló: el mensaje en español dice cuál y por qué."""


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def orden_vmre() -> list[str]:
    """La orden ``vmre`` del mismo entorno de Python que corre el simulacro."""
    junto = Path(sys.executable).parent / "vmre"
    if junto.exists():
        return [str(junto)]
    encontrada = shutil.which("vmre")
    return [encontrada] if encontrada else [sys.executable, "-m", "vmre_crypto"]


# ---------------------------------------------------------------- SMTP local


class Buzon:
    """Manejador de aiosmtpd: guarda cada mensaje recibido, ya analizado, en memoria."""

    def __init__(self) -> None:
        self.mensajes: list[EmailMessage] = []
        self._cerrojo = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        m = message_from_bytes(envelope.content, policy=policy.default)
        with self._cerrojo:
            self.mensajes.append(m)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def con_asunto(self, prefijo: str) -> list[EmailMessage]:
        with self._cerrojo:
            return [m for m in self.mensajes if str(m["Subject"]).startswith(prefijo)]

    def esperar(self, prefijo: str, cantidad: int, segundos: float, avance: Any = None) -> list[EmailMessage]:
        """Espera a que lleguen ``cantidad`` mensajes con ese asunto (el servidor los envía desde
        su hilo de fondo)."""
        limite = time.monotonic() + segundos
        visto = 0
        while True:
            lista = self.con_asunto(prefijo)
            if avance is not None and len(lista) > visto:
                avance(len(lista) - visto)
                visto = len(lista)
            if len(lista) >= cantidad:
                return lista
            if time.monotonic() > limite:
                raise ErrorSimulacro(f"Llegaron {len(lista)} de {cantidad} correos «{prefijo}…» en {segundos:.0f} s.")
            time.sleep(0.05)


def texto_de(mensaje: EmailMessage) -> str:
    cuerpo = mensaje.get_body(preferencelist=("plain",))
    return str(cuerpo.get_content()) if cuerpo is not None else ""


class SmtpLocal:
    """Un servidor SMTP de aiosmtpd en un hilo de este proceso, en 127.0.0.1."""

    def __init__(self) -> None:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            raise ErrorSimulacro(
                "El simulacro necesita aiosmtpd para su servidor SMTP local: pip install aiosmtpd."
            ) from None

        self.buzon = Buzon()
        self.puerto = puerto_libre()
        self._controlador = Controller(self.buzon, hostname="127.0.0.1", port=self.puerto)

    def iniciar(self) -> SmtpLocal:
        self._controlador.start()
        return self

    def detener(self) -> None:
        self._controlador.stop()


# ---------------------------------------------------------------- el servidor, como proceso


class ServidorProceso:
    """``vmre servidor iniciar`` en segundo plano, con su salida en ``servidor.log``."""

    def __init__(self, carpeta: Path, url_bd: str, puerto: int, puerto_smtp: int, hilos: int) -> None:
        self.carpeta, self.url_bd, self.puerto, self.puerto_smtp, self.hilos = (
            carpeta,
            url_bd,
            puerto,
            puerto_smtp,
            hilos,
        )
        self.url = f"http://127.0.0.1:{puerto}"
        self.registro = carpeta / "servidor.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def opciones(self) -> list[str]:
        return [
            "--db", self.url_bd,
            "--smtp-anfitrion", "127.0.0.1",
            "--smtp-puerto", str(self.puerto_smtp),
            "--clave-cookies", str(self.carpeta / "clave-cookies.bin"),
            "--url-publica", self.url,
            "--remitente", "SRVE-INE Simulacro <no-responder@simulacro-vmre.example>",
        ]  # fmt: skip

    def crear_usuario(self, usuario: str, nombre: str, rol: str, contrasena: str, secreto: str) -> None:
        """(22.4) Cuenta del personal activa, con el secreto TOTP que generó el simulacro."""
        entorno = {**os.environ, "VMRE_CONTRASENA_NUEVA": contrasena, "VMRE_TOTP_SECRETO": secreto}
        r = subprocess.run(
            [*orden_vmre(), "servidor", "crear-usuario", *self.opciones(), "--usuario", usuario, "--nombre", nombre,
             "--correo", f"{usuario}@simulacro-vmre.example", "--rol", rol],
            cwd=self.carpeta, env=entorno, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
        )  # fmt: skip
        if r.returncode != 0:
            raise ErrorSimulacro(f"vmre servidor crear-usuario {usuario} falló: {r.stderr.strip()}")

    def iniciar(self) -> ServidorProceso:
        salida = self.registro.open("ab")
        self.proc = subprocess.Popen(
            [*orden_vmre(), "servidor", "iniciar", *self.opciones(), "--puerto", str(self.puerto),
             "--hilos", str(self.hilos)],
            cwd=self.carpeta, stdout=salida, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # su grupo de procesos: al detenerlo caen también sus procesos de verificación
        )  # fmt: skip
        salida.close()
        limite = time.monotonic() + 120
        while time.monotonic() < limite:
            if self.proc.poll() is not None:
                raise ErrorSimulacro(f"El servidor terminó al arrancar; vea {self.registro}.")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/estado", timeout=5) as r:
                    if json.loads(r.read()).get("estado") == "en_servicio":
                        return self
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        raise ErrorSimulacro(f"El servidor no respondió en 120 s; vea {self.registro}.")

    def memoria_pico_kib(self) -> int | None:
        """VmHWM del proceso del servidor (Linux): la memoria residente máxima que alcanzó."""
        if self.proc is None:
            return None
        try:
            texto = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        m = re.search(r"^VmHWM:\s+(\d+)\s+kB", texto, re.MULTILINE)
        return int(m.group(1)) if m else None

    def memoria_hijos_kib(self) -> list[int]:
        """VmHWM de cada proceso hijo del servidor (su grupo de procesos de verificación)."""
        if self.proc is None:
            return []
        salida = []
        for estado in Path("/proc").glob("[0-9]*/status"):
            try:
                texto = estado.read_text()
            except OSError:
                continue
            padre = re.search(r"^PPid:\s+(\d+)", texto, re.MULTILINE)
            memoria = re.search(r"^VmHWM:\s+(\d+)\s+kB", texto, re.MULTILINE)
            if padre and memoria and int(padre.group(1)) == self.proc.pid:
                salida.append(int(memoria.group(1)))
        return salida

    def detener(self) -> None:
        """SIGTERM a todo el grupo del servidor (el proceso y sus hijos); SIGKILL si no termina."""
        if self.proc is None:
            return
        grupo = self.proc.pid
        for senal in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(grupo, senal)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=20)
                time.sleep(0.2)
            except subprocess.TimeoutExpired:
                continue
        try:
            os.killpg(grupo, signal.SIGKILL)  # los hijos que hayan quedado
        except ProcessLookupError:
            pass
        self.proc = None


# ---------------------------------------------------------------- cliente JSON


class ErrorAPI(ErrorSimulacro):
    def __init__(self, estado: int, codigo: str, mensaje: str) -> None:
        super().__init__(f"[{codigo}] {mensaje} (HTTP {estado})")
        self.estado, self.codigo, self.mensaje = estado, codigo, mensaje


class Api:
    """JSON sobre HTTP (urllib) con ``Authorization: Bearer`` opcional."""

    def __init__(self, url: str, testigo: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.testigo = testigo

    def crudo(self, ruta: str) -> bytes:
        with urllib.request.urlopen(self.url + ruta, timeout=TIEMPO_ESPERA_HTTP) as r:
            return bytes(r.read())

    def pedir(self, metodo: str, ruta: str, cuerpo: Any = None) -> Any:
        datos = None if cuerpo is None else json.dumps(cuerpo).encode("utf-8")
        cabeceras = {"Accept": "application/json"}
        if datos is not None:
            cabeceras["Content-Type"] = "application/json"
        if self.testigo:
            cabeceras["Authorization"] = f"Bearer {self.testigo}"
        peticion = urllib.request.Request(self.url + "/api/v1" + ruta, data=datos, method=metodo, headers=cabeceras)
        try:
            with urllib.request.urlopen(peticion, timeout=TIEMPO_ESPERA_HTTP) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                error = json.loads(e.read().decode("utf-8"))["error"]
                raise ErrorAPI(e.code, str(error["codigo"]), str(error["mensaje"])) from None
            except (ValueError, KeyError, TypeError):
                raise ErrorAPI(e.code, "http", f"{metodo} {ruta} respondió {e.code}") from None


class Totp:
    """Códigos de un secreto sin repetir intervalo: el servidor rechaza un código ya usado (18.7)
    y acepta el del intervalo siguiente (±30 s)."""

    def __init__(self, secreto: str, ultimo: int = 0) -> None:
        self.secreto, self.ultimo = secreto, ultimo
        self._cerrojo = threading.Lock()

    def codigo(self) -> str:
        with self._cerrojo:
            paso = max(int(time.time() // 30), self.ultimo + 1)
            while paso > int(time.time() // 30) + 1:
                time.sleep(0.5)
            self.ultimo = paso
            return str(pyotp.TOTP(self.secreto).at(paso * 30 + 1))


def entrar_personal(url: str, usuario: str, contrasena: str, totp: Totp) -> Api:
    r = Api(url).pedir("POST", "/sesion", {"usuario": usuario, "contrasena": contrasena, "codigo": totp.codigo()})
    return Api(url, str(r["testigo"]))
