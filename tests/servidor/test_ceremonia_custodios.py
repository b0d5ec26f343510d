"""Ceremonia completa sobre HTTP real: un proceso ``vmre custodio ceremonia`` por custodio (§19.5).

Cada custodio guarda su estado cifrado en su propio archivo; el servidor solo retransmite y
publica K y H_E cuando los n confirman H_R.  Además: los pasos sueltos, la frase equivocada
y que el archivo de estado nunca contiene el secreto en claro.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path
from typing import Any

from custodios_procesos import FRASE, RAIZ, entorno_custodio, orden_custodio, proceso_con_custodios
from flask.testing import FlaskClient
from herramientas import Personal

from servidor_referencia.clientes.api_json import codigo_desde_secreto
from servidor_referencia.clientes.custodio_ceremonia import CeremoniaCustodio, ClienteCustodio
from servidor_referencia.clientes.custodio_estado import ErrorCustodio, abrir
from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    ContextoEleccion,
    RegistroLlaves,
    construir_registro,
    deserializar,
)


def _secretos_hex(ruta: Path) -> list[str]:
    estado = abrir(ruta, FRASE).estado
    ancho = 2 * GRUPO_ESTANDAR.bytes_q
    return [format(c.valor, f"0{ancho}x") for c in estado.coeficientes]


def test_ceremonia_con_un_proceso_por_custodio(servidor_vivo: Any, cliente: FlaskClient, tmp_path: Path) -> None:
    pid, personas = proceso_con_custodios(servidor_vivo.app, cliente, 5, 3)
    rutas = [tmp_path / f"custodio-{i}.vmre" for i in range(1, 6)]
    procesos = [
        subprocess.Popen(
            orden_custodio(servidor_vivo.url, pid, p, ruta, "ceremonia"),
            env=entorno_custodio(p),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p, ruta in zip(personas, rutas, strict=True)
    ]
    salidas = [pr.communicate(timeout=300) for pr in procesos]
    for pr, (_salida, errores) in zip(procesos, salidas, strict=True):
        assert pr.returncode == 0, errores
    publico = cliente.get(f"{RAIZ}/{pid}").get_json()
    assert publico["estado"] == "llave_publicada"
    assert {s.strip().splitlines()[-1] for s, _ in salidas} == {f"H_E = {publico['h_e']}"}
    cfg = deserializar(publico["configuracion"], ConfiguracionEleccion, None)
    registro = deserializar(publico["registro_llaves"], RegistroLlaves, GRUPO_ESTANDAR)
    contexto = deserializar(publico["contexto"], ContextoEleccion, GRUPO_ESTANDAR)
    # La semántica de ``ceremonia_en_proceso``: registro recalculable y contexto coherente (V1, V3.B, V4).
    assert registro == construir_registro(cfg, registro.compromisos)
    assert contexto == ContextoEleccion.crear(cfg, registro.llave_conjunta)
    assert contexto.h_e == registro.h_e and publico["h_e"] == registro.h_e.hex().upper()
    assert [m.nombre for m in registro.compromisos] == [f"Persona {p.usuario}" for p in personas]
    avance = cliente.get(f"{RAIZ}/{pid}/ceremonia").get_json()
    assert all(c["confirmacion_registro"] for c in avance["avance"]) and not avance["detenida"]

    # El archivo de estado: modo 0600, y ni en mayúsculas ni en minúsculas aparece un coeficiente secreto.
    for ruta in rutas:
        assert stat.S_IMODE(ruta.stat().st_mode) == 0o600
        contenido = ruta.read_bytes()
        for secreto in _secretos_hex(ruta):
            for forma in (secreto, secreto.upper()):
                assert forma.encode() not in contenido
            assert bytes.fromhex(secreto) not in contenido

    # Cada custodio reconstruye su P(ℓ) con su archivo y lo que el servidor conserva: g^P(ℓ) = K̂_ℓ.
    for i in (1, 4):
        llave = _ceremonia_local(servidor_vivo.url, pid, personas[i - 1], rutas[i - 1], ya_entro=True).llave()
        assert GRUPO_ESTANDAR.g_a_la(llave.comparticion) == registro.llave_verificacion(i)

    # Frase equivocada: error preciso, antes de hablar con el servidor.
    r = subprocess.run(
        orden_custodio(servidor_vivo.url, pid, personas[0], rutas[0], "confirmar", espera="0"),
        env=entorno_custodio(personas[0], "otra frase"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Error [frase_incorrecta]" in r.stderr
    # Registrar otra vez no pisa el archivo.
    r = subprocess.run(
        orden_custodio(servidor_vivo.url, pid, personas[0], rutas[0], "registrar", espera="0"),
        env=entorno_custodio(personas[0]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and "Error [estado_existente]" in r.stderr


def _ceremonia_local(
    url: str, pid: int, p: Personal, ruta: Path, espera: float = 0.0, *, ya_entro: bool = False
) -> CeremoniaCustodio:
    if ya_entro:  # su proceso ``vmre custodio`` ya gastó el código del intervalo actual
        p.codigo()
    api = ClienteCustodio(url)
    api.iniciar_sesion(p.usuario, p.contrasena, lambda _d: p.codigo(), reintentar=False)
    return CeremoniaCustodio(api, pid, ruta, FRASE, espera)


def test_pasos_sueltos_y_queja(servidor_vivo: Any, cliente: FlaskClient, tmp_path: Path) -> None:
    """Los pasos uno por uno (sin esperar): fuera de orden se informa; una queja detiene a todos."""
    pid, personas = proceso_con_custodios(servidor_vivo.app, cliente, 3, 2)
    c = [_ceremonia_local(servidor_vivo.url, pid, p, tmp_path / f"c{i}.vmre") for i, p in enumerate(personas, 1)]
    assert [x.registrar() for x in c] == [1, 2, 3]
    c[0].publicar()
    c[0].publicar()  # idempotente
    try:
        c[0].comparticiones()
        raise AssertionError("debió fallar: faltan compromisos")
    except ErrorCustodio as e:
        assert e.codigo == "ceremonia_fuera_de_orden"
    c[1].publicar()
    c[2].publicar()
    for x in c:
        x.comparticiones()
    c[0].verificar()
    # El custodio 2 se queja (p. ej. del servidor) y la ceremonia se detiene para todos.
    from vmre_crypto import Queja

    try:
        c[1]._quejarse([Queja(2, 0, "registro_llaves_discrepante")])
    except ErrorCustodio as e:
        assert e.codigo == "queja_presentada"
    try:
        c[2].verificar()
        raise AssertionError("debió fallar: ceremonia detenida")
    except ErrorCustodio as e:
        assert e.codigo == "ceremonia_detenida"
    assert cliente.get(f"{RAIZ}/{pid}").get_json()["estado"] == "ceremonia"
    assert codigo_desde_secreto(personas[0].secreto)(0).isdigit()
