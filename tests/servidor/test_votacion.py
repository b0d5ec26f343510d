"""Votación (§20.2): depósito y desafío por HTTP, con ``vmre votar`` contra un servidor real, cada
rechazo con su código, concurrencia de un mismo elector, cadena del tablero y separación
marca/boleta (20.14)."""

from __future__ import annotations

import copy
import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA, sesion_api
from sqlalchemy import func, inspect, select
from test_votacion_fabrica import ElectorPrueba, Escenario, abrir, crear_escenario, error

from servidor_referencia.bd.base import Base, ahora, transaccion
from servidor_referencia.bd.cuentas import CuentaElector
from servidor_referencia.bd.sivei import ProcesoElectoral
from servidor_referencia.bd.votacion import BoletaRecibida, MarcaVoto
from servidor_referencia.clientes.cli_votar import votar
from servidor_referencia.dominio import tablero_servidor
from vmre_crypto import (
    GRUPO_ESTANDAR,
    BoletaPreparada,
    a_json,
    cifrar_boleta,
    generar_credencial,
    hash_entrada,
    hash_objeto,
    leer_tablero,
    serializar,
    verificar_registro,
)

MARCAS = {"08": {1: (2,)}, "14": {2: (1,), 3: (1, 3)}, "32": {4: (3,)}}


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _boleta(e: Escenario, elector: ElectorPrueba, **cambios: Any) -> BoletaPreparada:
    credencial = cambios.pop("credencial", elector.credencial)
    estilo = cambios.pop("estilo", elector.entidad)
    return cifrar_boleta(e.contexto, estilo, MARCAS[estilo], credencial)


def _doc(preparada: BoletaPreparada) -> dict[str, Any]:
    return dict(json.loads(serializar(preparada.boleta)))


def _depositar(cliente: FlaskClient, e: Escenario, cab: dict[str, str], documento: dict[str, Any]) -> Any:
    return cliente.post(f"/api/v1/sivei/votacion/{e.proceso_id}/depositar", json={"boleta": documento}, headers=cab)


@pytest.fixture
def abierto(cliente: FlaskClient, app: Flask) -> Escenario:
    e = crear_escenario(app, 4)
    abrir(cliente, e)
    return e


def test_ballot_cast_receipt_and_second_cast_rejected(cliente: FlaskClient, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[1]
    cab = elector.sesion(cliente)
    datos = cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=cab).get_json()
    assert datos["estilo"] == "14" and [c["indice"] for c in datos["contiendas"]] == [2, 3]
    assert datos["h_e"] == a_json(e.contexto.h_e) and datos["ya_voto"] is False
    preparada = _boleta(e, elector)
    r = _depositar(cliente, e, cab, _doc(preparada))
    assert r.status_code == 201, r.get_json()
    recibo = r.get_json()
    assert recibo["codigo_confirmacion"] == a_json(preparada.boleta.codigo_confirmacion)
    assert recibo["estado"] == "depositada" and recibo["entradas_tablero"] == recibo["posicion"] + 1
    tablero = cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}").get_json()
    assert tablero["cabeza"] == recibo["cabeza_tablero"]
    encontrado = cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}/codigo/{recibo['codigo_confirmacion']}")
    assert encontrado.get_json()["posicion"] == recibo["posicion"]
    assert encontrado.get_json()["estado"] == "depositada"
    # Otra boleta de la misma persona: ya votó (aunque la boleta sea válida y nueva).
    r = _depositar(cliente, e, cab, _doc(_boleta(e, elector)))
    assert r.status_code == 409 and error(r) == "ya_voto"
    assert cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=cab).get_json()["ya_voto"] is True
    # La misma credencial desde otra cuenta: una boleta depositada por credencial (20.12).
    otro = e.electores[0]
    r = _depositar(cliente, e, otro.sesion(cliente), _doc(_boleta(e, otro, credencial=elector.credencial)))
    assert r.status_code == 409 and error(r) == "credencial_ya_usada"


def test_rejections_have_precise_codes(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[0]
    cab = elector.sesion(cliente)
    # Credencial fuera de la lista.
    ajena = _boleta(e, elector, credencial=generar_credencial(GRUPO_ESTANDAR))
    r = _depositar(cliente, e, cab, _doc(ajena))
    assert r.status_code == 403 and error(r) == "credencial_no_registrada"
    # Estilo de otra entidad.
    r = _depositar(cliente, e, cab, _doc(_boleta(e, elector, estilo="14")))
    assert r.status_code == 400 and error(r) == "estilo_no_corresponde"
    # Un campo mutado → el motivo de la biblioteca.
    base = _doc(_boleta(e, elector))
    mutaciones = {
        "codigo_confirmacion_invalido": lambda d: d.update(codigo_confirmacion="00" * 32),
        "firma_credencial_invalida": lambda d: d["firma"].update(respuesta=a_json(e.contexto.grupo.q_elemento(5))),
        "hash_contienda_invalido": lambda d: d["contiendas"][0].update(hash_contienda="11" * 32),
    }
    for motivo, mutar in mutaciones.items():
        doc = copy.deepcopy(base)
        mutar(doc)
        r = _depositar(cliente, e, cab, doc)
        assert r.status_code == 400 and error(r) == "boleta_invalida", (motivo, r.get_json())
        assert r.get_json()["error"]["detalles"]["motivo"] == motivo
    doc = copy.deepcopy(base)
    doc["contiendas"][0]["selecciones"][0]["cifrado"]["alfa"] = "0" * 1024  # fuera de rango
    r = _depositar(cliente, e, cab, doc)
    assert r.status_code == 400 and error(r) == "boleta_invalida" and r.get_json()["error"]["detalles"]["motivo"]
    doc = copy.deepcopy(base)
    doc["extra"] = 1
    r = _depositar(cliente, e, cab, doc)
    assert r.status_code == 400 and error(r) == "boleta_invalida"
    r = cliente.post(f"/api/v1/sivei/votacion/{e.proceso_id}/depositar", json={"boleta": base, "x": 1}, headers=cab)
    assert error(r) == "campo_desconocido"
    # Nada quedó: ni marca ni boleta.
    with transaccion(_fabrica(app)) as bd:
        assert bd.scalar(select(func.count()).select_from(MarcaVoto)) == 0
        assert bd.scalar(select(func.count()).select_from(BoletaRecibida)) == 0
    # La boleta original sí entra; después, la misma boleta con otra cuenta repite id y credencial.
    assert _depositar(cliente, e, cab, base).status_code == 201


def test_window_closed_and_not_open(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    elector = e.electores[0]
    cab = elector.sesion(cliente)
    documento = _doc(_boleta(e, elector))
    r = _depositar(cliente, e, cab, documento)
    assert r.status_code == 409 and error(r) == "votacion_no_abierta"  # (20.11a) aún sin abrir
    abrir(cliente, e)
    with transaccion(_fabrica(app)) as bd:
        proceso = bd.get(ProcesoElectoral, e.proceso_id)
        assert proceso is not None
        proceso.fin_votacion = ahora() - timedelta(seconds=1)
    r = _depositar(cliente, e, cab, documento)
    assert r.status_code == 409 and error(r) == "fuera_de_ventana"
    with transaccion(_fabrica(app)) as bd:
        proceso = bd.get(ProcesoElectoral, e.proceso_id)
        assert proceso is not None
        proceso.estado = "cerrada"
    r = _depositar(cliente, e, cab, documento)
    assert r.status_code == 409 and error(r) == "votacion_no_abierta"


def test_staff_cannot_cast_and_voters_only_see_their_own_ballot(
    cliente: FlaskClient, app: Flask, abierto: Escenario
) -> None:
    e = abierto
    documento = _doc(_boleta(e, e.electores[0]))
    admin = sesion_api(cliente, e.admin)
    r = _depositar(cliente, e, admin, documento)
    assert r.status_code == 403 and error(r) == "rol_no_permitido"
    assert cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=admin).status_code == 403
    assert error(_depositar(cliente, e, {}, documento)) == "no_autenticado"
    # Un elector de otro corte no está habilitado en este proceso.
    otro = crear_escenario(app, 1)
    cab_otro = otro.electores[0].sesion(cliente)
    r = cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=cab_otro)
    assert r.status_code == 403 and error(r) == "elector_no_habilitado"
    # La boleta de un elector es la de su entidad; ninguna ruta recibe otra cuenta.
    cab = e.electores[2].sesion(cliente)
    assert cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=cab).get_json()["estilo"] == "32"
    r = cliente.get(f"/api/v1/sivei/apertura/{e.proceso_id}/revision?corte={e.corte_id}", headers=cab)
    assert r.status_code == 403


def test_challenge_then_cast(cliente: FlaskClient, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[0]
    cab = elector.sesion(cliente)
    desafiada = _boleta(e, elector)
    url = f"/api/v1/sivei/votacion/{e.proceso_id}/desafiar"
    apertura = json.loads(serializar(desafiada.apertura()))
    mala = dict(apertura, nonce_boleta="00" * 32)
    r = cliente.post(url, json={"boleta": _doc(desafiada), "apertura": mala}, headers=cab)
    assert r.status_code == 400 and r.get_json()["error"]["detalles"]["motivo"] == "apertura_invalida"
    r = cliente.post(url, json={"boleta": _doc(desafiada), "apertura": apertura}, headers=cab)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["estado"] == "desafiada" and r.get_json()["selecciones"] == {"1": [2]}
    # Una boleta desafiada ya no se puede depositar.
    r = _depositar(cliente, e, cab, _doc(desafiada))
    assert r.status_code == 409 and error(r) == "boleta_duplicada"
    codigo = a_json(desafiada.boleta.codigo_confirmacion)
    assert cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}/codigo/{codigo}").get_json()["estado"] == "desafiada"
    assert _depositar(cliente, e, cab, _doc(_boleta(e, elector))).status_code == 201
    # Después de votar ya no hay desafíos: la marca existe.
    otra = _boleta(e, elector)
    r = cliente.post(url, json={"boleta": _doc(otra), "apertura": json.loads(serializar(otra.apertura()))}, headers=cab)
    assert r.status_code == 409 and error(r) == "ya_voto"


def test_an_entity_without_a_ballot_style(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[0]
    with transaccion(_fabrica(app)) as bd:
        cuenta = bd.get(CuentaElector, elector.id)
        assert cuenta is not None
        cuenta.entidad = "01"
    cab = elector.sesion(cliente)
    r = cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=cab)
    assert r.status_code == 409 and error(r) == "sin_boleta_para_entidad"
    r = _depositar(cliente, e, cab, _doc(_boleta(e, elector, estilo="08")))
    assert r.status_code == 409 and error(r) == "sin_boleta_para_entidad"


def test_no_table_links_a_voter_to_a_ballot(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[0]
    assert _depositar(cliente, e, elector.sesion(cliente), _doc(_boleta(e, elector))).status_code == 201
    columnas = {c.name for c in inspect(BoletaRecibida).columns}
    assert not any("cuenta" in c or "elector" in c for c in columnas)
    assert {c.name for c in inspect(MarcaVoto).columns} == {"proceso_id", "cuenta_id", "hora"}
    # Ninguna tabla del área guarda a la vez la cuenta y algo de la boleta.
    for nombre in ("entrada_tablero", "cabeza_tablero", "boleta_recibida", "cifrado_usado"):
        assert not any("cuenta" in c.name for c in Base.metadata.tables[nombre].columns)
    # Llaves foráneas: las tablas de boletas solo apuntan al proceso; nada apunta a una boleta; la marca
    # solo al proceso y a la cuenta.
    for nombre in ("entrada_tablero", "cabeza_tablero", "boleta_recibida", "cifrado_usado"):
        assert {fk.column.table.name for fk in Base.metadata.tables[nombre].foreign_keys} == {"proceso_electoral"}
    marca_fk = {fk.column.table.name for fk in Base.metadata.tables["marca_voto"].foreign_keys}
    assert marca_fk == {"proceso_electoral", "cuenta_elector"}
    for nombre, tabla in Base.metadata.tables.items():
        for fk in tabla.foreign_keys:
            assert fk.column.table.name not in {"boleta_recibida", "entrada_tablero", "marca_voto"}, nombre
    with transaccion(_fabrica(app)) as bd:
        marca = bd.scalars(select(MarcaVoto)).one()
        assert marca.cuenta_id == elector.id
        assert (marca.hora.minute, marca.hora.second, marca.hora.microsecond) == (0, 0, 0)


def _verificar_cadena(ruta: Path, h_p: bytes) -> list[str]:
    anterior, tipos = bytes(32), []
    for numero, linea in enumerate(leer_tablero(ruta)):
        entrada = linea.entrada
        assert entrada.indice == numero and entrada.hash_anterior == anterior
        assert entrada.hash_objeto == hash_objeto(h_p, linea.texto_objeto)
        anterior = hash_entrada(h_p, entrada.indice, entrada.tipo, anterior, entrada.hash_objeto, entrada.tiempo)
        assert entrada.hash_entrada == anterior
        tipos.append(entrada.tipo)
    return tipos


def test_vmre_votar_against_a_live_server(servidor_vivo: Any, app: Flask, tmp_path: Path) -> None:
    cliente = app.test_client()
    e = crear_escenario(app, 3)
    abrir(cliente, e)
    elector = e.electores[0]
    runner = CliRunner()
    base = ["--servidor", servidor_vivo.url, "--proceso", str(e.proceso_id), "--correo", elector.correo]
    entorno = {
        "VMRE_CREDENCIAL": _credencial_texto(elector),
        "VMRE_CONTRASENA": CONTRASENA,
    }
    # 1) Desafío: la apertura coincide con lo marcado; no se cuenta.
    r = runner.invoke(
        votar, [*base, "--codigo", elector.codigo(), "--seleccion", '{"1": [2]}', "--desafiar"], env=entorno
    )
    assert r.exit_code == 0, r.output
    assert "Código de confirmación:" in r.output and "La apertura coincide" in r.output
    # 2) Depósito con recibo; el código aparece en el tablero público.
    r = runner.invoke(votar, [*base, "--codigo", elector.codigo(), "--seleccion", '{"1": [1]}', "--json"], env=entorno)
    assert r.exit_code == 0, r.output
    recibo = json.loads(next(x for x in r.output.splitlines() if x.startswith("{")))
    assert f"Código de confirmación: {recibo['codigo_confirmacion']}" in r.output
    pagina = cliente.get(f"/sivei/tablero/{e.proceso_id}?codigo={recibo['codigo_confirmacion']}").get_data(as_text=True)
    assert "El código está en el tablero" in pagina and str(recibo["posicion"]) in pagina
    pagina = cliente.get(f"/sivei/tablero/{e.proceso_id}?codigo={'A' * 64}").get_data(as_text=True)
    assert "no está en el tablero" in pagina
    # 3) Credencial mal copiada: el cliente la rechaza antes de hablar con el servidor.
    r = runner.invoke(
        votar, [*base, "--codigo", "000000", "--seleccion", "{}"], env={**entorno, "VMRE_CREDENCIAL": "X"}
    )
    assert r.exit_code == 1 and "credencial_invalida" in r.output

    # 4) Sin --seleccion la orden muestra la boleta de la entidad y pregunta las marcas.
    otro = e.electores[1]
    argumentos = ["--servidor", servidor_vivo.url, "--proceso", str(e.proceso_id), "--correo", otro.correo]
    r = runner.invoke(
        votar,
        [*argumentos, "--codigo", otro.codigo()],
        env={**entorno, "VMRE_CREDENCIAL": _credencial_texto(otro)},
        input='{"2": [1], "3": [1, 3]}\n',
    )
    assert r.exit_code == 0, r.output
    assert "Gubernatura de Jalisco" in r.output and "Diputación migrante" in r.output
    assert "Boleta depositada." in r.output
    # 5) Marcas fuera del estilo: el dispositivo no cifra nada.
    tercero = e.electores[2]
    r = runner.invoke(
        votar,
        [*argumentos[:-1], tercero.correo, "--codigo", tercero.codigo(), "--seleccion", '{"1": [1]}'],
        env={**entorno, "VMRE_CREDENCIAL": _credencial_texto(tercero)},
    )
    assert r.exit_code == 1 and "seleccion_invalida" in r.output

    # La cadena exportada se recalcula con la biblioteca, en el orden de §14.3.
    ruta = tmp_path / "tablero.jsonl"
    ruta.write_bytes(cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}/tablero.jsonl").get_data())
    tipos = _verificar_cadena(ruta, e.configuracion.h_p)
    por_lotes = "".join(tablero_servidor.lineas_por_lotes(_fabrica(app), e.proceso_id, lote=3))
    assert por_lotes == ruta.read_text(encoding="utf-8")
    assert tipos[-4:] == ["acta_inicio", "boleta_desafiada", "boleta_cifrada", "boleta_cifrada"]
    # El verificador de los auditores acepta todo lo que hay hasta aquí (cadena, configuración, llaves,
    # credenciales, acta, boletas, desafío); solo falta lo que publica el cierre (escrutinio y cómputo).
    informe = verificar_registro(tmp_path, procesos=1)
    assert informe.fallidas() == ["V-T2"]
    assert [f.motivo for f in informe.fallas("V-T2")] == ["registro_incompleto"]


def _credencial_texto(elector: ElectorPrueba) -> str:
    from vmre_crypto import codificar_credencial_secreta

    return codificar_credencial_secreta(elector.credencial.secreta)


def test_concurrent_casts_by_one_voter_yield_exactly_one(servidor_vivo: Any, app: Flask) -> None:
    import urllib.error
    import urllib.request

    cliente = app.test_client()
    e = crear_escenario(app, 2)
    abrir(cliente, e)
    elector = e.electores[0]
    cab = elector.sesion(cliente)
    documentos = [_doc(_boleta(e, elector)) for _ in range(4)]
    resultados: list[tuple[int, str]] = []
    barrera = threading.Barrier(len(documentos))

    def enviar(documento: dict[str, Any]) -> None:
        peticion = urllib.request.Request(
            f"{servidor_vivo.url}/api/v1/sivei/votacion/{e.proceso_id}/depositar",
            data=json.dumps({"boleta": documento}).encode(),
            method="POST",
            headers={**cab, "Content-Type": "application/json"},
        )
        barrera.wait()
        try:
            with urllib.request.urlopen(peticion, timeout=60) as r:
                resultados.append((r.status, "ok"))
        except urllib.error.HTTPError as err:
            resultados.append((err.code, json.loads(err.read())["error"]["codigo"]))

    hilos = [threading.Thread(target=enviar, args=(d,)) for d in documentos]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=120)
    assert sorted(resultados) == [(201, "ok")] + [(409, "ya_voto")] * 3, resultados
    with transaccion(_fabrica(app)) as bd:
        assert bd.scalar(select(func.count()).select_from(BoletaRecibida)) == 1
        assert bd.scalar(select(func.count()).select_from(MarcaVoto)) == 1
