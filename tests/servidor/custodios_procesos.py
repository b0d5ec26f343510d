"""Utilidades compartidas por las pruebas de custodios en procesos reales (§19 y §21):
proceso electoral con custodios asignados, la orden ``vmre custodio …`` y su entorno."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from herramientas import Personal, crear_personal, sesion_api

from servidor_referencia.dominio.roles import Rol

RAIZ = "/api/v1/sivei/procesos"
FRASE = "frase larga del custodio de prueba"


def proceso_con_custodios(app: Any, cliente: FlaskClient, n: int, k: int) -> tuple[int, list[Personal]]:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    cuerpo = {
        "nombre": "Simulacro",
        "custodios": n,
        "cuorum": k,
        "fecha": "2021-06-06",
        "info": "x",
        "preset": "simulacro",
    }
    pid = cliente.post(RAIZ, json=cuerpo, headers=admin).get_json()["id"]
    personas = [crear_personal(app, Rol.CUSTODIO) for _ in range(n)]
    for i, p in enumerate(personas, start=1):
        r = cliente.post(f"{RAIZ}/{pid}/custodios", json={"indice": i, "usuario": p.usuario}, headers=admin)
        assert r.status_code == 201, r.get_json()
    return pid, personas


def orden_custodio(
    url: str, pid: int, p: Personal, ruta: Path, paso: str, frase: str = FRASE, espera: str = "240"
) -> list[str]:
    return [
        sys.executable, "-m", "vmre_crypto", "custodio", paso, "--servidor", url, "--usuario", p.usuario,
        "--proceso", str(pid), "--estado", str(ruta), "--espera", espera,
    ]  # fmt: skip


def entorno_custodio(p: Personal, frase: str = FRASE) -> dict[str, str]:
    return {
        **os.environ,
        "VMRE_CONTRASENA": p.contrasena,
        "VMRE_TOTP_SECRETO": p.secreto,
        "VMRE_FRASE_CUSTODIO": frase,
    }
