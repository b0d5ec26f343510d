"""Cierre y descifrado a través del servidor (§21): flujo por HTTP con los custodios en este proceso,
cuórum k obligatorio, rechazos con código preciso, custodio tramposo nombrado y excluido, y el
registro exportado que acepta ``vmre verificar``."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import test_votacion_fabrica as fabrica
from flask import Flask
from flask.testing import FlaskClient
from herramientas import Personal, crear_personal, sesion_api
from test_votacion_fabrica import Escenario, abrir, crear_escenario, error

from servidor_referencia.bd.base import transaccion
from servidor_referencia.bd.ceremonia import CustodioAsignado
from servidor_referencia.dominio.roles import Rol
from vmre_crypto import (
    GRUPO_ESTANDAR,
    ConfiguracionEleccion,
    DescifradorCustodio,
    EscrutinioCifrado,
    LlaveCustodio,
    RetosDescifrado,
    ceremonia_en_proceso,
    cifrar_boleta,
    deserializar,
    serializar,
)

# Lo que cada elector marca, por estilo (contienda → opciones); el elector i es de ENTIDADES[i % 3].
MARCAS = {"08": {1: (2,)}, "14": {2: (1,), 3: (1, 3)}, "32": {4: (3,)}}


@functools.cache
def _eleccion() -> tuple[Any, Any, Any, tuple[LlaveCustodio, ...]]:
    configuracion = ConfiguracionEleccion(3, 2, "2027-06-06", "Simulacro de pruebas del cómputo", fabrica.manifiesto())
    custodios, registro, contexto = ceremonia_en_proceso(configuracion)
    return configuracion, registro, contexto, tuple(c.llave() for c in custodios)


class Computo:
    """Un proceso abierto con sus 3 custodios (cuórum 2) asignados a cuentas del personal."""

    def __init__(self, app: Flask, cliente: FlaskClient, e: Escenario, custodios: list[Personal]) -> None:
        self.app, self.cliente, self.e, self.custodios = app, cliente, e, custodios
        self.llaves = _eleccion()[3]
        self.cabeceras: dict[int, dict[str, str]] = {}
        self.raiz = f"/api/v1/sivei/computo/{e.proceso_id}"

    def cab(self, i: int) -> dict[str, str]:
        if i not in self.cabeceras:
            self.cabeceras[i] = sesion_api(self.cliente, self.custodios[i - 1])
        return self.cabeceras[i]

    def admin(self) -> dict[str, str]:
        return self.e.extra["admin_cabecera"]

    def votar(self, i: int, *, desafiar_antes: bool = False) -> None:
        elector = self.e.electores[i]
        cab = elector.sesion(self.cliente)
        if desafiar_antes:
            otra = cifrar_boleta(self.e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial)
            r = self.cliente.post(
                f"/api/v1/sivei/votacion/{self.e.proceso_id}/desafiar",
                json={
                    "boleta": json.loads(serializar(otra.boleta)),
                    "apertura": json.loads(serializar(otra.apertura())),
                },
                headers=cab,
            )
            assert r.status_code == 201, r.get_json()
        preparada = cifrar_boleta(self.e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial)
        r = self.cliente.post(
            f"/api/v1/sivei/votacion/{self.e.proceso_id}/depositar",
            json={"boleta": json.loads(serializar(preparada.boleta))},
            headers=cab,
        )
        assert r.status_code == 201, r.get_json()

    def cerrar(self) -> Any:
        return self.cliente.post(f"/api/v1/sivei/cierre/{self.e.proceso_id}", json={}, headers=self.admin())

    def disponible(self, i: int) -> Any:
        return self.cliente.post(f"{self.raiz}/disponible", json={}, headers=self.cab(i))

    def estado(self) -> dict[str, Any]:
        return dict(self.cliente.get(self.raiz).get_json())

    def escrutinio(self) -> EscrutinioCifrado:
        filas = self.tablero()
        texto = next(json.dumps(x["objeto"]) for x in filas if x["entrada"]["tipo"] == "escrutinio_cifrado")
        from vmre_crypto import texto_canonico

        return deserializar(texto_canonico(json.loads(texto)), EscrutinioCifrado, GRUPO_ESTANDAR)

    def tablero(self) -> list[dict[str, Any]]:
        texto = self.cliente.get(f"/api/v1/sivei/tablero/{self.e.proceso_id}/tablero.jsonl").get_data(as_text=True)
        return [json.loads(x) for x in texto.splitlines()]

    def parcial(self, i: int, descifrador: DescifradorCustodio, cuorum: list[int], alterar: Any = None) -> Any:
        documento = json.loads(serializar(descifrador.descifrado_parcial(self.escrutinio(), cuorum)))
        if alterar:
            alterar(documento)
        from vmre_crypto import texto_canonico

        return self.cliente.post(
            f"{self.raiz}/parcial",
            json={"ronda": self.estado()["ronda"], "documento": texto_canonico(documento)},
            headers=self.cab(i),
        )

    def responder(self, i: int, descifrador: DescifradorCustodio) -> Any:
        retos_doc = self.cliente.get(f"{self.raiz}/retos").get_json()
        retos = deserializar(retos_doc["documento"], RetosDescifrado, GRUPO_ESTANDAR)
        respuesta = descifrador.responder(retos)
        return self.cliente.post(
            f"{self.raiz}/respuesta",
            json={"ronda": retos_doc["ronda"], "documento": serializar(respuesta)},
            headers=self.cab(i),
        )

    def descifrador(self, i: int) -> DescifradorCustodio:
        return DescifradorCustodio(self.e.contexto, self.llaves[i - 1])


def proceso_abierto(app: Flask, cliente: FlaskClient, monkeypatch: pytest.MonkeyPatch, n: int) -> Computo:
    """Proceso abierto con ``n`` electores (entidades 08, 14, 32, 08, …) y 3 custodios (cuórum 2)
    cuyas llaves conoce la prueba, para cerrar y descifrar después."""
    monkeypatch.setattr(fabrica, "eleccion", lambda: _eleccion()[:3])
    e = crear_escenario(app, n)
    custodios = [crear_personal(app, Rol.CUSTODIO) for _ in range(3)]
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        for i, p in enumerate(custodios, start=1):
            bd.add(CustodioAsignado(proceso_id=e.proceso_id, indice=i, usuario_id=p.id))
    abrir(cliente, e)
    return Computo(app, cliente, e, custodios)


def cerrar_y_descifrar(c: Computo, cuorum: tuple[int, int]) -> dict[str, Any]:
    """Cierra y descifra con los dos custodios de ``cuorum`` (§21); devuelve la última respuesta."""
    assert c.cerrar().status_code == 201
    for i in cuorum:
        assert c.disponible(i).status_code == 201
    descifradores = {i: c.descifrador(i) for i in cuorum}
    for i in cuorum:
        assert c.parcial(i, descifradores[i], list(cuorum)).status_code == 201
    assert c.responder(cuorum[0], descifradores[cuorum[0]]).status_code == 201
    r = c.responder(cuorum[1], descifradores[cuorum[1]])
    assert r.status_code == 201 and r.get_json()["estado"] == "computada", r.get_json()
    return dict(r.get_json())


@pytest.fixture
def computo(app: Flask, cliente: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> Computo:
    return proceso_abierto(app, cliente, monkeypatch, 6)


def _esperados(c: Computo, votantes: list[int]) -> dict[int, list[int]]:
    """Conteos en claro: por contienda, votos por opción de las boletas depositadas."""
    manifiesto = c.e.contexto.manifiesto
    conteos = {x.indice: [0] * len(x.opciones) for x in manifiesto.contiendas}
    for i in votantes:
        for contienda, opciones in MARCAS[c.e.electores[i].entidad].items():
            for o in opciones:
                conteos[contienda][o - 1] += 1
    return conteos


def _verificar_exportado(c: Computo, directorio: Path) -> subprocess.CompletedProcess[str]:
    directorio.mkdir()
    texto = c.cliente.get(f"/api/v1/sivei/tablero/{c.e.proceso_id}/tablero.jsonl").get_data(as_text=True)
    (directorio / "tablero.jsonl").write_text(texto, encoding="utf-8", newline="")
    return subprocess.run(
        [sys.executable, "-m", "vmre_crypto", "verificar", str(directorio)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_flujo_completo_y_rechazos(computo: Computo, tmp_path: Path) -> None:
    c = computo
    # Antes del cierre nadie descifra (21.5): ni el custodio ni ninguna ruta.
    r = c.disponible(1)
    assert r.status_code == 409 and error(r) == "computo_estado_invalido"
    c.votar(0)
    c.votar(1, desafiar_antes=True)
    c.votar(2)
    c.votar(4)
    # Un custodio no cierra (21.1): solo el administrador.
    r = c.cliente.post(f"/api/v1/sivei/cierre/{c.e.proceso_id}", json={}, headers=c.cab(1))
    assert r.status_code == 403
    r = c.cliente.post(f"/api/v1/sivei/cierre/{c.e.proceso_id}", json={"x": 1}, headers=c.admin())
    assert r.status_code == 400 and error(r) == "campo_desconocido"
    r = c.cerrar()
    assert r.status_code == 201, r.get_json()
    cierre = r.get_json()
    assert cierre["boletas"] == 4 and len(cierre["h_t"]) == 64
    assert c.escrutinio().hash(c.e.contexto).hex().upper() == cierre["h_t"]
    r = c.cerrar()
    assert r.status_code == 409 and error(r) == "cierre_estado_invalido"
    # Cerrada: no se reciben boletas.
    elector = c.e.electores[3]
    cab = elector.sesion(c.cliente)
    boleta = cifrar_boleta(c.e.contexto, elector.entidad, MARCAS[elector.entidad], elector.credencial).boleta
    r = c.cliente.post(
        f"/api/v1/sivei/votacion/{c.e.proceso_id}/depositar",
        json={"boleta": json.loads(serializar(boleta))},
        headers=cab,
    )
    assert r.status_code == 409 and error(r) == "votacion_no_abierta"
    # Resultados aún no (409); la participación sí.
    r = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}")
    assert r.status_code == 409 and error(r) == "resultados_no_disponibles"
    part = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}/participacion").get_json()["participacion"]
    assert part["electores"] == 6 and part["votos"] == 4 and part["por_pais"] == {"US": {"electores": 6, "votos": 4}}

    # El administrador no puede descifrar ni avisar (21.5).
    for ruta in ("disponible", "parcial", "respuesta"):
        r = c.cliente.post(f"{c.raiz}/{ruta}", json={}, headers=c.admin())
        assert r.status_code == 403, ruta
    # Un personal custodio que no es de este proceso.
    ajeno = crear_personal(c.app, Rol.CUSTODIO)
    r = c.cliente.post(f"{c.raiz}/disponible", json={}, headers=sesion_api(c.cliente, ajeno))
    assert r.status_code == 403 and error(r) == "custodio_no_asignado"

    # Un custodio solo no puede descifrar: sin k disponibles no hay cuórum (21.6).
    assert c.disponible(1).get_json()["cuorum"] is None
    d1, d2, d3 = c.descifrador(1), c.descifrador(2), c.descifrador(3)
    r = c.parcial(1, d1, [1, 2])
    assert r.status_code == 409 and error(r) == "computo_cuorum_incompleto"
    r = c.cliente.get(f"{c.raiz}/retos")
    assert r.status_code == 409 and error(r) == "computo_retos_pendientes"
    assert c.disponible(2).get_json()["cuorum"] == [1, 2]
    assert c.disponible(3).get_json()["cuorum"] == [1, 2]
    # Fuera del cuórum (21.7c).
    r = c.parcial(3, d3, [1, 3])
    assert r.status_code == 403 and error(r) == "computo_fuera_de_cuorum"
    # Documento de otro custodio, de otro cuórum, de otro escrutinio, mal formado (21.7d–e).
    r = c.parcial(1, d2, [1, 2])
    assert r.status_code == 400 and error(r) == "computo_documento_invalido"
    assert r.get_json()["error"]["detalles"]["campo"] == "custodio"

    def otro_hash(doc: dict[str, Any]) -> None:
        doc["hash_escrutinio"] = "00" * 32

    r = c.parcial(1, d1, [1, 2], otro_hash)
    assert r.status_code == 400 and r.get_json()["error"]["detalles"]["campo"] == "hash_escrutinio"

    def fuera_del_subgrupo(doc: dict[str, Any]) -> None:
        doc["partes"][0]["m"] = "02"

    r = c.parcial(1, d1, [1, 2], fuera_del_subgrupo)
    assert r.status_code == 400 and error(r) == "computo_documento_invalido"
    r = c.cliente.post(f"{c.raiz}/parcial", json={"ronda": 1, "documento": "{}"}, headers=c.cab(1))
    assert r.status_code == 400 and error(r) == "computo_documento_invalido"
    r = c.cliente.post(f"{c.raiz}/parcial", json={"ronda": 7, "documento": "{}"}, headers=c.cab(1))
    assert r.status_code == 400  # el documento se decodifica antes que la ronda
    # Ronda vieja.
    r = c.cliente.post(
        f"{c.raiz}/parcial",
        json={"ronda": 7, "documento": serializar(d1.descifrado_parcial(c.escrutinio(), [1, 2]))},
        headers=c.cab(1),
    )
    assert r.status_code == 409 and error(r) == "computo_ronda_vieja"
    # Bueno, y luego duplicado (21.7f).
    assert c.parcial(1, d1, [1, 2]).status_code == 201
    r = c.parcial(1, c.descifrador(1), [1, 2])  # otro proceso del mismo custodio: d1 conserva sus nonces
    assert r.status_code == 409 and error(r) == "computo_mensaje_duplicado"
    r = c.parcial(2, d2, [1, 2])
    assert r.status_code == 201 and r.get_json()["retos_listos"] is True
    r = c.responder(1, d1)
    assert r.status_code == 201 and r.get_json()["estado"] == "cerrada"
    r = c.responder(2, d2)
    assert r.status_code == 201, r.get_json()
    final = r.get_json()
    assert final["estado"] == "computada" and final["culpable"] is None and final["hash_resultado"]

    # Resultados = lo que se marcó en claro (el desafío no cuenta).
    datos = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}").get_json()
    esperados = _esperados(c, [0, 1, 2, 4])
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in datos["contiendas"]} == esperados
    assert {x["indice"]: x["entidad"] for x in datos["contiendas"]} == {1: "08", 2: "14", 3: "14", 4: "32"}
    assert datos["participacion"]["votos"] == 4
    assert datos["participacion"]["por_entidad"]["14"] == {"electores": 2, "votos": 2}
    # Tablero: fin en el orden de §14.3 y el verificador lo acepta.
    tipos = [x["entrada"]["tipo"] for x in c.tablero()]
    assert tipos[-8:] == [
        "escrutinio_cifrado",
        "descifrado_parcial",
        "descifrado_parcial",
        "retos_descifrado",
        "respuesta_descifrado",
        "respuesta_descifrado",
        "resultado_descifrado",
        "acta_computo",
    ]
    r = _verificar_exportado(c, tmp_path / "registro")
    assert r.returncode == 0, r.stdout + r.stderr
    # Después: ni más respuestas ni otro cierre.
    d2.descifrado_parcial(c.escrutinio(), [1, 2])
    r = c.responder(2, d2)
    assert r.status_code == 409 and error(r) == "computo_estado_invalido"
    assert c.cerrar().status_code == 409


def _cerrado_con_tres_disponibles(c: Computo) -> None:
    """Votan los electores 0, 1 y 2, se cierra y los tres custodios avisan: U = [1, 2]."""
    for i in (0, 1, 2):
        c.votar(i)
    assert c.cerrar().status_code == 201
    for i in (1, 2, 3):
        assert c.disponible(i).status_code == 201


def test_parcial_alterado_nombra_al_culpable_y_se_rehace_el_cuorum(computo: Computo, tmp_path: Path) -> None:
    c = computo
    _cerrado_con_tres_disponibles(c)
    d1, d2, d3 = c.descifrador(1), c.descifrador(2), c.descifrador(3)

    def intercambiar(doc: dict[str, Any]) -> None:  # dos M_i válidos del subgrupo, en lugar cambiado
        partes = doc["partes"]
        partes[0]["m"], partes[1]["m"] = partes[1]["m"], partes[0]["m"]

    assert c.parcial(1, d1, [1, 2], intercambiar).status_code == 201
    assert c.parcial(2, d2, [1, 2]).status_code == 201
    assert c.responder(1, d1).status_code == 201
    r = c.responder(2, d2)
    assert r.status_code == 201, r.get_json()
    datos = r.get_json()
    # (21.11) La biblioteca nombra al culpable (V-D2); el servidor lo excluye y forma U sin él.
    assert datos["culpable"] == 1 and datos["estado"] == "cerrada"
    assert datos["ronda"] == 2 and datos["excluidos"] == [1] and datos["cuorum"] == [2, 3]
    r = c.disponible(1)
    assert r.status_code == 409 and error(r) == "computo_custodio_excluido"
    # Ronda 2 con nonces nuevos.
    assert c.parcial(2, d2, [2, 3]).status_code == 201
    assert c.parcial(3, d3, [2, 3]).status_code == 201
    assert c.responder(3, d3).status_code == 201
    r = c.responder(2, d2)
    assert r.get_json()["estado"] == "computada", r.get_json()
    datos = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}").get_json()
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in datos["contiendas"]} == _esperados(c, [0, 1, 2])
    acta = c.cliente.get(f"{c.raiz}/acta").get_json()
    assert acta["cuorum"] == [2, 3]
    # La bitácora nombra al culpable y anota cada mensaje de los custodios y el cierre.
    from sqlalchemy import select

    from servidor_referencia.bd.personal import EntradaBitacora

    with transaccion(c.app.extensions["vmre"]["fabrica"]) as bd:
        filas = bd.scalars(select(EntradaBitacora).where(EntradaBitacora.objeto == f"proceso:{c.e.proceso_id}")).all()
        acciones = [(f.accion, f.detalles.get("custodio")) for f in filas]
    assert ("computo_culpable", 1) in acciones and ("cerrar_votacion", None) in acciones
    assert acciones.count(("computo_parcial", 2)) == 2 and ("computo_publicado", None) in acciones
    # Solo los mensajes de la ronda buena están en el registro, y lo acepta el verificador.
    r = _verificar_exportado(c, tmp_path / "registro")
    assert r.returncode == 0, r.stdout + r.stderr


def _rehecho(texto: str, h_p: bytes, quitar: int) -> str:
    """El tablero sin la entrada ``quitar`` y con TODA la cadena recalculada (un servidor que reescribe)."""
    from vmre_crypto import hash_entrada, hash_objeto, texto_canonico

    lineas = [json.loads(x) for x in texto.splitlines()]
    del lineas[quitar]
    salida, anterior = [], bytes(32)
    for indice, linea in enumerate(lineas):
        objeto = texto_canonico(linea["objeto"])
        entrada = linea["entrada"]
        h_obj = hash_objeto(h_p, objeto)
        h_ent = hash_entrada(h_p, indice, entrada["tipo"], anterior, h_obj, entrada["tiempo"])
        entrada.update(
            indice=indice,
            hash_anterior=anterior.hex().upper(),
            hash_objeto=h_obj.hex().upper(),
            hash_entrada=h_ent.hex().upper(),
        )
        salida.append('{"entrada":' + texto_canonico(entrada) + ',"objeto":' + objeto + "}\n")
        anterior = h_ent
    return "".join(salida)


def test_custodio_rechaza_un_escrutinio_que_no_recalcula(
    computo: Computo, servidor_vivo: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(21.16) El servidor entrega un tablero reescrito (una boleta depositada menos, cadena recalculada):
    el custodio recalcula el escrutinio, su H_T no es el publicado y sale con 4 sin descifrar."""
    from click.testing import CliRunner

    from servidor_referencia.clientes import custodio_descifrado
    from servidor_referencia.clientes.cli_custodio import custodio
    from servidor_referencia.clientes.custodio_ceremonia import CeremoniaCustodio

    c = computo
    for i in (0, 1, 2):
        c.votar(i)
    h_t = c.cerrar().get_json()["h_t"]
    assert c.disponible(2).status_code == 201
    original = custodio_descifrado.descargar_tablero
    posicion = next(i for i, x in enumerate(c.tablero()) if x["entrada"]["tipo"] == "boleta_cifrada")
    alterado = {"modo": "reescrito"}

    def descargar(api: Any, proceso: int) -> str:
        texto = original(api, proceso)
        if alterado["modo"] == "reescrito":
            return _rehecho(texto, c.e.contexto.h_p, posicion)
        lineas = texto.splitlines(keepends=True)
        del lineas[posicion]  # sin recalcular: la cadena se rompe
        return "".join(lineas)

    monkeypatch.setattr(custodio_descifrado, "descargar_tablero", descargar)
    monkeypatch.setattr(CeremoniaCustodio, "custodio", lambda self: None)
    monkeypatch.setattr(CeremoniaCustodio, "llave", lambda self: c.llaves[0])
    persona = c.custodios[0]
    argumentos = [
        "descifrar", "--servidor", servidor_vivo.url, "--usuario", persona.usuario, "--proceso", str(c.e.proceso_id),
        "--estado", str(tmp_path / "estado.vmre"), "--espera", "20",
    ]  # fmt: skip
    entorno = {"VMRE_CONTRASENA": persona.contrasena, "VMRE_TOTP_SECRETO": persona.secreto, "VMRE_FRASE_CUSTODIO": "x"}
    r = CliRunner().invoke(custodio, argumentos, env=entorno)
    assert r.exit_code == 4, r.output
    assert "Error [escrutinio_discrepante]" in r.output and f"H_T = {h_t}" in r.output
    alterado["modo"] = "roto"
    persona.codigo()  # el intervalo TOTP ya se usó
    r = CliRunner().invoke(custodio, argumentos, env=entorno)
    assert r.exit_code == 4, r.output
    assert "Error [tablero_invalido]" in r.output and "(14.2)" in r.output
    # Nada se envió: no hay descifrados parciales.
    assert c.estado()["parciales"] == []


def test_custodio_que_pierde_sus_nonces_reinicia_la_ronda(computo: Computo, tmp_path: Path) -> None:
    """(21.18) El proceso del custodio 1 muere tras enviar su parcial: sus nonces se perdieron.
    Reenviar es duplicado; reiniciar abre otra ronda con el mismo U y nonces nuevos para todos."""
    c = computo
    for i in (0, 2):
        c.votar(i)
    assert c.cerrar().status_code == 201
    r = c.cliente.post(f"{c.raiz}/reiniciar", json={}, headers=c.cab(1))
    assert r.status_code == 409 and error(r) == "computo_cuorum_incompleto"
    for i in (1, 2, 3):
        assert c.disponible(i).status_code == 201
    d2 = c.descifrador(2)
    r = c.cliente.post(f"{c.raiz}/reiniciar", json={}, headers=c.cab(1))
    assert r.status_code == 409 and error(r) == "computo_estado_invalido"  # aún no envía nada
    assert c.parcial(1, c.descifrador(1), [1, 2]).status_code == 201  # ...y el proceso muere
    assert c.parcial(2, d2, [1, 2]).status_code == 201
    assert c.responder(2, d2).status_code == 201
    nuevo = c.descifrador(1)
    r = c.parcial(1, nuevo, [1, 2])
    assert r.status_code == 409 and error(r) == "computo_mensaje_duplicado"
    r = c.cliente.post(f"{c.raiz}/reiniciar", json={}, headers=c.cab(3))
    assert r.status_code == 403 and error(r) == "computo_fuera_de_cuorum"
    r = c.cliente.post(f"{c.raiz}/reiniciar", json={}, headers=c.cab(1))
    assert r.status_code == 201 and r.get_json()["ronda"] == 2 and r.get_json()["cuorum"] == [1, 2]
    assert r.get_json()["parciales"] == [] and r.get_json()["retos_listos"] is False
    # La respuesta vieja del custodio 2 es de la ronda 1: ya no cuenta.
    assert c.parcial(1, nuevo, [1, 2]).status_code == 201
    assert c.parcial(2, d2, [1, 2]).status_code == 201
    assert c.responder(1, nuevo).status_code == 201
    r = c.responder(2, d2)
    assert r.get_json()["estado"] == "computada", r.get_json()
    datos = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}").get_json()
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in datos["contiendas"]} == _esperados(c, [0, 2])
    r = _verificar_exportado(c, tmp_path / "registro")
    assert r.returncode == 0, r.stdout + r.stderr


def test_cliente_tras_caerse_reinicia_y_termina(computo: Computo, servidor_vivo: Any) -> None:
    """(21.18) con el cliente real: el custodio 1 había enviado su parcial y su proceso murió; al volver
    a correr, su cliente pide una ronda nueva y los dos clientes (en hilos, sobre HTTP real) terminan."""
    import threading

    from servidor_referencia.clientes.custodio_ceremonia import ClienteCustodio
    from servidor_referencia.clientes.custodio_descifrado import DescifradoCustodio

    c = computo
    for i in (0, 1):
        c.votar(i)
    assert c.cerrar().status_code == 201
    assert c.disponible(1).status_code == 201 and c.disponible(2).status_code == 201
    assert c.parcial(1, c.descifrador(1), [1, 2]).status_code == 201  # y el proceso muere
    salidas: dict[int, Any] = {}

    def correr(i: int) -> None:
        persona = c.custodios[i - 1]
        api = ClienteCustodio(servidor_vivo.url)
        api.iniciar_sesion(persona.usuario, persona.contrasena, lambda _d: persona.codigo(), reintentar=False)
        try:
            salidas[i] = DescifradoCustodio(api, c.e.proceso_id, lambda: c.llaves[i - 1], 120).descifrar()
        except Exception as e:
            salidas[i] = e

    hilos = [threading.Thread(target=correr, args=(i,)) for i in (1, 2)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=180)
    estado = c.estado()
    assert estado["estado"] == "computada" and estado["ronda"] >= 2, (salidas, estado)
    assert salidas == {1: estado["hash_resultado"], 2: estado["hash_resultado"]}


def _cuorum_fijado_hace(c: Computo, segundos: int) -> None:
    from datetime import timedelta

    from servidor_referencia.bd.base import ahora
    from servidor_referencia.bd.computo import ComputoProceso

    with transaccion(c.app.extensions["vmre"]["fabrica"]) as bd:
        fila = bd.get(ComputoProceso, c.e.proceso_id)
        assert fila is not None
        fila.cuorum_desde = ahora() - timedelta(seconds=segundos)


def test_custodio_que_calla_se_releva_y_el_cuorum_se_rehace(computo: Computo, tmp_path: Path) -> None:
    """(21.19) El custodio 2 entra en U y calla: tras el plazo, la administración lo releva, U se forma
    con el 3 y el cómputo termina; antes del plazo, fuera de U o tras responder, no se puede."""
    c = computo
    _cerrado_con_tres_disponibles(c)
    assert c.estado()["cuorum"] == [1, 2]
    d1 = c.descifrador(1)
    assert c.parcial(1, d1, [1, 2]).status_code == 201  # el 2 nunca manda su parte
    relevar = f"{c.raiz}/relevar"

    r = c.cliente.post(relevar, json={"custodio": 2}, headers=c.admin())
    assert (r.status_code, error(r)) == (409, "computo_relevo_prematuro")
    assert 0 < r.get_json()["error"]["detalles"]["segundos_restantes"] <= 15 * 60
    assert c.cliente.post(relevar, json={"custodio": 2}, headers=c.cab(1)).status_code == 403
    _cuorum_fijado_hace(c, 15 * 60 + 1)
    r = c.cliente.post(relevar, json={"custodio": 3}, headers=c.admin())
    assert (r.status_code, error(r)) == (409, "computo_relevo_invalido")  # el 3 no está en U

    r = c.cliente.post(relevar, json={"custodio": 2}, headers=c.admin())
    assert r.status_code == 201, r.get_json()
    e = r.get_json()
    assert (e["relevado"], e["ronda"], e["cuorum"], e["relevados"]) == (2, 2, [1, 3], [2])
    # La parte del 1 era de la ronda 1: no vale en la 2 y su cuórum ya no es este.
    assert c.parcial(2, c.descifrador(2), [1, 2]).status_code == 403  # el relevado está fuera de U
    d1, d3 = c.descifrador(1), c.descifrador(3)
    assert c.parcial(1, d1, [1, 3]).status_code == 201
    assert c.parcial(3, d3, [1, 3]).status_code == 201
    assert c.responder(1, d1).status_code == 201
    _cuorum_fijado_hace(c, 15 * 60 + 1)
    r = c.cliente.post(relevar, json={"custodio": 1}, headers=c.admin())
    assert (r.status_code, error(r)) == (409, "computo_relevo_invalido")  # el 1 ya respondió: no calla
    # El relevado que vuelve deja de estar relevado (para rondas siguientes); U no cambia.
    assert c.disponible(2).get_json()["relevados"] == []
    assert c.estado()["cuorum"] == [1, 3]
    r = c.responder(3, d3)
    assert r.status_code == 201 and r.get_json()["estado"] == "computada", r.get_json()
    # Solo los mensajes de la ronda que terminó entran al tablero, y el registro verifica.
    tipos = [x["entrada"]["tipo"] for x in c.tablero()]
    assert tipos.count("descifrado_parcial") == 2 and tipos.count("respuesta_descifrado") == 2
    resultados = c.cliente.get(f"/api/v1/sivei/resultados/{c.e.proceso_id}").get_json()
    esperados = _esperados(c, [0, 1, 2])
    assert {x["indice"]: [o["votos"] for o in x["opciones"]] for x in resultados["contiendas"]} == esperados
    verificado = _verificar_exportado(c, tmp_path / "registro")
    assert verificado.returncode == 0, verificado.stdout + verificado.stderr
    r = c.cliente.post(relevar, json={"custodio": 3}, headers=c.admin())
    assert (r.status_code, error(r)) == (409, "computo_estado_invalido")


def test_relevo_desde_la_pagina_del_administrador(computo: Computo) -> None:
    """(21.19) La página del estado ofrece al administrador relevar a un custodio del cuórum que calla."""
    from herramientas import csrf_de, entrar_paginas

    c = computo
    c.votar(0)
    assert c.cerrar().status_code == 201
    for i in (1, 2, 3):
        assert c.disponible(i).status_code == 201
    pagina = f"/sivei/computo/{c.e.proceso_id}"
    assert "Relevar al custodio" not in c.cliente.get(pagina).get_data(as_text=True)  # el público no lo ve
    entrar_paginas(c.cliente, c.e.admin)
    html = c.cliente.get(pagina).get_data(as_text=True)
    assert "Relevar al custodio" in html and '<option value="2">' in html
    r = c.cliente.post(f"{pagina}/relevar", data={"_csrf": csrf_de(html), "custodio": "2"})
    assert r.status_code == 409 and "se puede relevar a un custodio después de 900 s" in r.get_data(as_text=True)
    _cuorum_fijado_hace(c, 15 * 60 + 1)
    r = c.cliente.post(f"{pagina}/relevar", data={"_csrf": csrf_de(html), "custodio": "2"})
    assert r.status_code == 302
    assert c.estado()["cuorum"] == [1, 3] and c.estado()["relevados"] == [2]
