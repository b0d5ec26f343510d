"""Durabilidad de la votación (§20.10, §20.19) con el servidor como proceso de verdad.

- ``kill -9`` de ``vmre servidor iniciar`` mientras varios clientes depositan: toda boleta con
  recibo está en el tablero al reiniciar, la cadena se recalcula con la biblioteca
  (``hash_objeto``/``hash_entrada``), no hay marca sin boleta ni boleta sin marca, y quien quedó
  sin recibo pero sí se guardó recibe ``ya_voto`` al reintentar.
- Depósitos simultáneos de un mismo elector contra el proceso real: exactamente uno cuenta.
- El grupo de procesos de verificación (20.19) con el cliente de prueba de Flask: mismos
  códigos y motivos que la verificación en el hilo.
"""

from __future__ import annotations

import copy
import http.client
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from herramientas import puerto_libre, vmre_instalada
from sqlalchemy import func, select
from test_votacion_fabrica import ElectorPrueba, Escenario, abrir, crear_escenario, error

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.votacion import BoletaRecibida, MarcaVoto
from servidor_referencia.dominio import verificacion_paralela
from vmre_crypto import a_json, cifrar_boleta, hash_entrada, hash_objeto, leer_tablero, serializar

pytestmark = pytest.mark.lento

MARCAS = {"08": {1: (2,)}, "14": {2: (1,), 3: (1, 3)}, "32": {4: (3,)}}


def pedir(url: str, metodo: str = "GET", json_: Any = None, cabeceras: dict[str, str] | None = None) -> tuple[int, Any]:
    datos = json.dumps(json_).encode() if json_ is not None else None
    cab = {**(cabeceras or {}), **({"Content-Type": "application/json"} if datos is not None else {})}
    peticion = urllib.request.Request(url, data=datos, headers=cab, method=metodo)
    try:
        with urllib.request.urlopen(peticion, timeout=120) as r:
            cuerpo, estado, tipo = r.read(), r.status, r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        cuerpo, estado, tipo = e.read(), e.code, e.headers.get("Content-Type", "")
    return estado, (json.loads(cuerpo) if tipo.startswith("application/json") else cuerpo.decode("utf-8"))


class ServidorProceso:
    """``vmre servidor iniciar`` en segundo plano (waitress, con procesos de verificación)."""

    def __init__(self, carpeta: Path, url_bd: str, puerto_smtp: int, procesos: int = 2) -> None:
        self.carpeta, self.url_bd, self.puerto_smtp, self.procesos = carpeta, url_bd, puerto_smtp, procesos
        self.puerto = puerto_libre()
        self.url = f"http://127.0.0.1:{self.puerto}"
        self.registro = carpeta / f"servidor-{self.puerto}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def iniciar(self) -> ServidorProceso:
        salida = self.registro.open("wb")
        self.proc = subprocess.Popen(
            [
                vmre_instalada(),
                "servidor",
                "iniciar",
                "--db",
                self.url_bd,
                "--smtp-anfitrion",
                "127.0.0.1",
                "--smtp-puerto",
                str(self.puerto_smtp),
                "--clave-cookies",
                str(self.carpeta / "clave.bin"),
                "--url-publica",
                self.url,
                "--puerto",
                str(self.puerto),
                "--hilos",
                "8",
                "--procesos-verificacion",
                str(self.procesos),
            ],
            cwd=self.carpeta,
            stdout=salida,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # kill -9 al grupo: servidor y sus trabajadores
        )
        salida.close()
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            if self.proc.poll() is not None:
                raise AssertionError(f"el servidor terminó al arrancar:\n{self.registro.read_text()}")
            try:
                if pedir(f"{self.url}/api/v1/estado")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"el servidor no respondió:\n{self.registro.read_text()}")

    def matar(self) -> None:
        """``kill -9`` al servidor y a sus procesos de verificación, sin apagado ordenado."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)
        self.proc = None

    def detener(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        self.proc = None


@pytest.fixture
def servidores() -> Iterator[list[ServidorProceso]]:
    vivos: list[ServidorProceso] = []
    yield vivos
    for s in vivos:
        s.matar()


def _documento(e: Escenario, elector: ElectorPrueba) -> dict[str, Any]:
    preparada = cifrar_boleta(e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial)
    return dict(json.loads(serializar(preparada.boleta)))


def _cadena(texto: str, h_p: bytes, carpeta: Path) -> list[tuple[str, str]]:
    """Recalcula la cadena del tablero exportado (§14.2) con la biblioteca; da (tipo, hash de la entrada)."""
    ruta = carpeta / f"tablero-{time.monotonic_ns()}.jsonl"
    ruta.write_text(texto, encoding="utf-8")
    anterior, salida = bytes(32), []
    for numero, linea in enumerate(leer_tablero(ruta)):
        entrada = linea.entrada
        assert entrada.indice == numero and entrada.hash_anterior == anterior
        assert entrada.hash_objeto == hash_objeto(h_p, linea.texto_objeto)
        anterior = hash_entrada(h_p, entrada.indice, entrada.tipo, anterior, entrada.hash_objeto, entrada.tiempo)
        assert entrada.hash_entrada == anterior
        salida.append((entrada.tipo, anterior.hex().upper()))
    return salida


def _contar(app: Flask) -> tuple[int, int]:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        boletas = bd.scalar(
            select(func.count()).select_from(BoletaRecibida).where(BoletaRecibida.estado == "depositada")
        )
        marcas = bd.scalar(select(func.count()).select_from(MarcaVoto))
    return int(boletas or 0), int(marcas or 0)


def test_kill_9_during_voting_keeps_every_acknowledged_ballot(
    tmp_path: Path, app: Flask, url_bd: str, buzon: Any, servidores: list[ServidorProceso]
) -> None:
    cliente = app.test_client()
    e = crear_escenario(app, 30)
    abrir(cliente, e)
    sesiones = [el.sesion(cliente) for el in e.electores]
    documentos = [_documento(e, el) for el in e.electores]
    primero = ServidorProceso(tmp_path, url_bd, buzon[1])
    servidores.append(primero.iniciar())

    recibos: dict[int, dict[str, Any]] = {}
    sin_respuesta: set[int] = set()
    fallos: list[Any] = []
    pendientes = list(range(len(e.electores)))
    candado = threading.Lock()
    basta = threading.Event()

    def cliente_http() -> None:
        while not basta.is_set():
            with candado:
                if not pendientes:
                    return
                i = pendientes.pop(0)
            url = f"{primero.url}/api/v1/sivei/votacion/{e.proceso_id}/depositar"
            try:
                estado, datos = pedir(url, "POST", {"boleta": documentos[i]}, sesiones[i])
            except (OSError, http.client.HTTPException):  # la conexión murió: sin recibo
                with candado:
                    sin_respuesta.add(i)
                return
            with candado:
                if estado == 201:
                    recibos[i] = datos
                else:
                    fallos.append((estado, datos))

    hilos = [threading.Thread(target=cliente_http) for _ in range(6)]
    for h in hilos:
        h.start()
    limite = time.monotonic() + 120
    while len(recibos) < 8 and time.monotonic() < limite:
        time.sleep(0.01)
    primero.matar()  # en plena votación: hay peticiones en vuelo
    basta.set()
    for h in hilos:
        h.join(timeout=60)
    assert not fallos, fallos
    assert len(recibos) >= 8 and sin_respuesta, (len(recibos), sin_respuesta)

    segundo = ServidorProceso(tmp_path, url_bd, buzon[1])
    servidores.append(segundo.iniciar())
    # Cada recibo está en el tablero, en su posición, con su código.
    for i, recibo in recibos.items():
        estado, datos = pedir(
            f"{segundo.url}/api/v1/sivei/tablero/{e.proceso_id}/codigo/{recibo['codigo_confirmacion']}"
        )
        assert estado == 200 and datos["posicion"] == recibo["posicion"], (i, datos)
        assert datos["estado"] == "depositada"
    boletas, marcas = _contar(app)
    assert boletas == marcas >= len(recibos)  # nada a medias: ni marca sin boleta ni boleta sin marca
    estado, texto = pedir(f"{segundo.url}/api/v1/sivei/tablero/{e.proceso_id}/tablero.jsonl")
    cadena = _cadena(texto, e.configuracion.h_p, tmp_path)
    assert sum(1 for tipo, _ in cadena if tipo == "boleta_cifrada") == boletas
    assert cadena[-boletas - 1][0] == "acta_inicio"
    # El recibo «cabeza_tablero» de cada boleta es el hash de su entrada en la cadena recalculada.
    for recibo in recibos.values():
        assert cadena[recibo["posicion"]] == ("boleta_cifrada", recibo["cabeza_tablero"])

    # Los que no recibieron respuesta reintentan: si su boleta se guardó, «ya_voto»; si no, entra.
    guardadas_sin_recibo = boletas - len(recibos)
    repetidos = 0
    for i in sorted(sin_respuesta | set(pendientes)):
        estado, datos = pedir(
            f"{segundo.url}/api/v1/sivei/votacion/{e.proceso_id}/depositar",
            "POST",
            {"boleta": documentos[i]},
            sesiones[i],
        )
        if estado == 409:
            assert datos["error"]["codigo"] == "ya_voto"
            repetidos += 1
        else:
            assert estado == 201, datos
    assert repetidos == guardadas_sin_recibo
    boletas, marcas = _contar(app)
    assert boletas == marcas == len(e.electores)
    estado, texto = pedir(f"{segundo.url}/api/v1/sivei/tablero/{e.proceso_id}/tablero.jsonl")
    assert sum(1 for tipo, _ in _cadena(texto, e.configuracion.h_p, tmp_path) if tipo == "boleta_cifrada") == boletas
    segundo.detener()


def test_concurrent_casts_by_one_voter_against_the_real_process(
    tmp_path: Path, app: Flask, url_bd: str, buzon: Any, servidores: list[ServidorProceso]
) -> None:
    cliente = app.test_client()
    e = crear_escenario(app, 2)
    abrir(cliente, e)
    elector = e.electores[0]
    cab = elector.sesion(cliente)
    documentos = [_documento(e, elector) for _ in range(6)]
    servidor = ServidorProceso(tmp_path, url_bd, buzon[1])
    servidores.append(servidor.iniciar())
    resultados: list[tuple[int, str]] = []
    barrera = threading.Barrier(len(documentos))

    def enviar(documento: dict[str, Any]) -> None:
        barrera.wait()
        estado, datos = pedir(
            f"{servidor.url}/api/v1/sivei/votacion/{e.proceso_id}/depositar", "POST", {"boleta": documento}, cab
        )
        resultados.append((estado, "ok" if estado == 201 else datos["error"]["codigo"]))

    hilos = [threading.Thread(target=enviar, args=(d,)) for d in documentos]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    assert sorted(resultados) == [(201, "ok")] + [(409, "ya_voto")] * 5, resultados
    assert _contar(app) == (1, 1)
    servidor.detener()


def test_verification_pool_in_the_flask_test_client(app: Flask) -> None:
    cliente = app.test_client()
    e = crear_escenario(app, 3)
    abrir(cliente, e)
    verificador = verificacion_paralela.configurar(app, 1)
    try:
        elector = e.electores[0]
        cab = elector.sesion(cliente)
        base = _documento(e, elector)
        url = f"/api/v1/sivei/votacion/{e.proceso_id}/depositar"
        # Un campo mutado: el trabajador devuelve el mismo motivo que la verificación en el hilo.
        mutaciones = {
            "codigo_confirmacion_invalido": lambda d: d.update(codigo_confirmacion="00" * 32),
            "firma_credencial_invalida": lambda d: d["firma"].update(respuesta=a_json(e.contexto.grupo.q_elemento(5))),
            "hash_contienda_invalido": lambda d: d["contiendas"][0].update(hash_contienda="11" * 32),
        }
        for motivo, mutar in mutaciones.items():
            doc = copy.deepcopy(base)
            mutar(doc)
            r = cliente.post(url, json={"boleta": doc}, headers=cab)
            assert r.status_code == 400 and error(r) == "boleta_invalida", (motivo, r.get_json())
            assert r.get_json()["error"]["detalles"]["motivo"] == motivo
            texto = serializar(verificacion_paralela_decodificar(doc))
            fallo = verificador.verificar(e.contexto.h_e.hex(), _texto_contexto(app, e), texto)
            assert fallo is not None and fallo[0] == motivo
        # Estilo de otra entidad (20.11e) antes que la verificación; fuera de rango (20.11d).
        otra = next(x for x in e.electores if x.entidad != elector.entidad)
        ajena = _documento(e, ElectorPrueba(elector.id, elector.correo, otra.entidad, "", elector.credencial))
        r = cliente.post(url, json={"boleta": ajena}, headers=cab)
        assert r.status_code == 400 and error(r) == "estilo_no_corresponde", r.get_json()
        ajena["codigo_confirmacion"] = "00" * 32  # inválida y de otro estilo: decide el estilo
        assert error(cliente.post(url, json={"boleta": ajena}, headers=cab)) == "estilo_no_corresponde"
        doc = copy.deepcopy(base)
        doc["contiendas"][0]["selecciones"][0]["cifrado"]["alfa"] = "0" * 1024
        r = cliente.post(url, json={"boleta": doc}, headers=cab)
        assert r.status_code == 400 and error(r) == "boleta_invalida" and r.get_json()["error"]["detalles"]["motivo"]
        r = cliente.post(url, json={"boleta": [1]}, headers=cab)
        assert r.status_code == 400 and error(r) == "tipo_invalido"  # el esquema de la petición
        assert _contar(app) == (0, 0)
        r = cliente.post(url, json={"boleta": base}, headers=cab)
        assert r.status_code == 201, r.get_json()
        assert _contar(app) == (1, 1)
        # En el trabajador se verificó: el grupo existe y sus procesos viven aparte.
        assert verificador._grupo is not None
    finally:
        verificacion_paralela.cerrar(app)
    assert verificador._grupo is None and verificacion_paralela.de_la_app(app).procesos == 0


def verificacion_paralela_decodificar(documento: dict[str, Any]) -> Any:
    from vmre_crypto import GRUPO_ESTANDAR, BoletaCifrada, deserializar, texto_canonico

    return deserializar(texto_canonico(documento), BoletaCifrada, GRUPO_ESTANDAR)


def _texto_contexto(app: Flask, e: Escenario) -> str:
    from servidor_referencia.bd.sivei import ProcesoElectoral

    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        proceso = bd.get(ProcesoElectoral, e.proceso_id)
        assert proceso is not None and proceso.contexto is not None
        return proceso.contexto


def test_a_dead_worker_falls_back_to_the_request_thread(app: Flask) -> None:
    """(20.19d) Si un trabajador muere, la boleta se verifica en el hilo y el grupo se rehace."""
    cliente = app.test_client()
    e = crear_escenario(app, 2)
    abrir(cliente, e)
    verificador = verificacion_paralela.configurar(app, 1)
    try:
        texto_contexto = _texto_contexto(app, e)
        h_e = e.contexto.h_e.hex()
        texto = serializar(verificacion_paralela_decodificar(_documento(e, e.electores[0])))
        assert verificador.verificar(h_e, texto_contexto, texto) is None
        grupo = verificador._grupo
        assert grupo is not None
        for pid in list(grupo._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        assert verificador.verificar(h_e, texto_contexto, texto) is None
        assert verificador._grupo is not grupo
        assert verificador.verificar(h_e, texto_contexto, texto) is None  # con el grupo nuevo
        cab = e.electores[1].sesion(cliente)
        r = cliente.post(
            f"/api/v1/sivei/votacion/{e.proceso_id}/depositar",
            json={"boleta": _documento(e, e.electores[1])},
            headers=cab,
        )
        assert r.status_code == 201, r.get_json()
    finally:
        verificacion_paralela.cerrar(app)
