"""Configuración del servidor de referencia (un valor inmutable, nunca variables globales)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ConfiguracionCorreo:
    """Cliente SMTP real: anfitrión, puerto, STARTTLS y, si se da, usuario y contraseña."""

    anfitrion: str = "localhost"
    puerto: int = 25
    starttls: bool = False
    # Certificados de confianza para STARTTLS (archivo PEM); sin él, los del sistema.  El nombre
    # del servidor siempre se verifica contra su certificado.
    ca_archivo: str | None = None
    usuario: str | None = None
    contrasena: str | None = field(default=None, repr=False)
    remitente: str = "SRVE-INE <no-responder@vmre.local>"
    tiempo_espera: float = 20.0
    max_intentos: int = 8

    def __repr__(self) -> str:  # la contraseña nunca aparece en registros
        return (
            f"ConfiguracionCorreo(anfitrion={self.anfitrion!r}, puerto={self.puerto}, "
            f"starttls={self.starttls}, ca_archivo={self.ca_archivo!r}, usuario={self.usuario!r})"
        )


@dataclass(frozen=True, slots=True)
class Configuracion:
    url_bd: str = "sqlite:///vmre-servidor.sqlite3"
    clave_secreta: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    url_publica: str = "http://localhost:8080"
    correo: ConfiguracionCorreo = field(default_factory=ConfiguracionCorreo)
    enviar_correo_en_segundo_plano: bool = True
    duracion_sesion_s: int = 30 * 60
    vigencia_enlace_s: int = 72 * 3600
    plazo_subsanar_s: int = 10 * 24 * 3600
    max_cuerpo_bytes: int = 256 * 1024
    max_intentos: int = 5
    ventana_intentos_s: int = 15 * 60
    cookies_seguras: bool = False
    nombre_proceso: str = "Simulacro VMRE"
    #: (21.19) Tiempo que un custodio del cuórum puede callar antes de que la administración lo releve.
    plazo_relevo_custodio_s: int = 15 * 60

    def con(self, **cambios: object) -> Configuracion:
        return replace(self, **cambios)  # type: ignore[arg-type]


def clave_secreta_persistente(ruta: Path) -> bytes:
    """Lee (o crea con permisos 0600) el archivo con la clave que firma las cookies.

    Se escribe completa en un archivo temporal y se renombra: un corte a medio escribir nunca deja
    una clave vacía (con la que Flask no firmaría ninguna sesión).  Un archivo vacío se rehace.
    """
    if ruta.exists():
        clave = ruta.read_bytes()
        if clave:
            return clave
    ruta.parent.mkdir(parents=True, exist_ok=True)
    clave = secrets.token_bytes(32)
    temporal = ruta.with_name(f".{ruta.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as archivo:
        archivo.write(clave)
        archivo.flush()
        os.fsync(archivo.fileno())
    os.replace(temporal, ruta)
    return clave
