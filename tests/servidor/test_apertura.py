"""Apertura de la votación (§20.1): comprobaciones (20.1)–(20.7) con su código preciso, tablero
inicial en el orden de §14.3 y acta de inicio (JSON y página imprimible)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import crear_personal, entrar_paginas, enviar_formulario, sesion_api
from sqlalchemy import func, select
from test_votacion_fabrica import Escenario, abrir, crear_escenario, error, fin_en

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.cuentas import CredencialPublica, ListaCredencialesPublicas
from servidor_referencia.bd.personal import EntradaBitacora
from servidor_referencia.bd.sivei import ProcesoElectoral
from servidor_referencia.bd.votacion import EntradaTableroBD
from servidor_referencia.dominio.roles import Rol
from vmre_crypto import GRUPO_ESTANDAR, a_json, generar_credencial, hash_entrada, hash_objeto


def _fabrica(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["vmre"]["fabrica"]


def _tablero(app: Flask, proceso_id: int) -> list[EntradaTableroBD]:
    with transaccion(_fabrica(app)) as bd:
        filas = list(
            bd.scalars(
                select(EntradaTableroBD)
                .where(EntradaTableroBD.proceso_id == proceso_id)
                .order_by(EntradaTableroBD.indice)
            )
        )
        bd.expunge_all()
    return filas


def _estado(app: Flask, proceso_id: int) -> str:
    with transaccion(_fabrica(app)) as bd:
        proceso = bd.get(ProcesoElectoral, proceso_id)
        assert proceso is not None
        return proceso.estado


def test_opening_writes_the_initial_board_and_the_acta(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 3)
    respuesta = abrir(cliente, e)
    acta = respuesta["acta"]
    assert respuesta["estado"] == "abierta" and respuesta["boletas_en_urna"] == 0
    assert acta["tipo"] == "acta_inicio"
    assert acta["h_p"] == a_json(e.configuracion.h_p)
    assert acta["h_m"] == a_json(e.configuracion.h_m)
    assert acta["h_b"] == a_json(e.configuracion.h_b)
    assert acta["h_e"] == a_json(e.contexto.h_e)
    assert acta["hash_registro_llaves"] == a_json(e.registro.hash_registro)
    assert acta["hash_credenciales"] == a_json(e.h_c)

    filas = _tablero(app, e.proceso_id)
    tipos = [f.tipo for f in filas]
    n = e.configuracion.custodios
    assert tipos == [
        "configuracion_eleccion",
        *["compromisos_custodio"] * n,
        "registro_llaves",
        "lista_credenciales",
        "parte_credenciales",
        "acta_inicio",
    ]
    # (14.1)–(14.2) recalculadas con la biblioteca; el acta lleva la cabeza anterior a ella.
    anterior = bytes(32)
    for f in filas:
        h_p = e.configuracion.h_p
        assert bytes.fromhex(f.hash_objeto) == hash_objeto(h_p, f.documento)
        assert bytes.fromhex(f.hash_anterior) == anterior
        esperado = hash_entrada(h_p, f.indice, f.tipo, anterior, bytes.fromhex(f.hash_objeto), f.tiempo)
        assert bytes.fromhex(f.hash_entrada) == esperado
        anterior = esperado
    assert acta["entradas"] == len(filas) - 1
    assert acta["cabeza_tablero"] == filas[-2].hash_entrada.upper()

    # JSON público y página imprimible con todos los hashes.
    publico = cliente.get(f"/api/v1/sivei/apertura/{e.proceso_id}/acta").get_json()
    assert publico["acta"] == acta and publico["posicion"] == len(filas) - 1
    pagina = cliente.get(f"/sivei/apertura/{e.proceso_id}/acta").get_data(as_text=True)
    for clave in ("h_p", "h_m", "h_b", "h_e", "hash_registro_llaves", "hash_credenciales", "cabeza_tablero"):
        assert acta[clave] in pagina
    assert "urna vacía" in pagina
    tablero = cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}").get_json()
    assert tablero["entradas"] == len(filas) and tablero["cabeza"] == filas[-1].hash_entrada.upper()

    assert _estado(app, e.proceso_id) == "abierta"
    with transaccion(_fabrica(app)) as bd:
        nota = bd.scalars(select(EntradaBitacora).where(EntradaBitacora.accion == "abrir_votacion")).one()
        assert nota.objeto == f"proceso:{e.proceso_id}"

    # Una sola vez.
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}",
        json={"corte": e.corte_id, "fin": fin_en(30)},
        headers=e.extra["admin_cabecera"],
    )
    assert r.status_code == 409 and error(r) == "apertura_estado_invalido"


def _cambiar(campo: str, valor: str) -> Callable[[Escenario], None]:
    def cambio(e: Escenario) -> None:
        setattr(e.extra["proceso"], campo, valor)

    return cambio


CASOS = {
    "h_m": (_cambiar("h_m", "00" * 32), "apertura_hash_configuracion"),
    "h_b": (_cambiar("h_b", "11" * 32), "apertura_hash_configuracion"),
    "h_e": (_cambiar("h_e", "22" * 32), "apertura_registro_llaves"),
    "registro_ilegible": (_cambiar("registro_llaves", '{"tipo":"registro_llaves"}'), "apertura_registro_llaves"),
    "estado": (_cambiar("estado", "ceremonia"), "apertura_estado_invalido"),
}


@pytest.mark.parametrize("caso", sorted(CASOS))
def test_each_mismatch_in_the_process_stops_the_opening(cliente: FlaskClient, app: Flask, caso: str) -> None:
    e = crear_escenario(app, 2)
    cambio, codigo = CASOS[caso]
    with transaccion(_fabrica(app)) as bd:
        proceso = bd.get(ProcesoElectoral, e.proceso_id)
        e.extra["proceso"] = proceso
        cambio(e)
        estado = proceso.estado if proceso is not None else ""
    cab = sesion_api(cliente, e.admin)
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}", json={"corte": e.corte_id, "fin": fin_en(5)}, headers=cab
    )
    assert r.status_code == 409 and error(r) == codigo, r.get_json()
    assert _tablero(app, e.proceso_id) == [] and _estado(app, e.proceso_id) == estado


def test_cut_integrity_code_mismatch(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2, documento_alterado=True)
    cab = sesion_api(cliente, e.admin)
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}", json={"corte": e.corte_id, "fin": fin_en(5)}, headers=cab
    )
    assert r.status_code == 409 and error(r) == "apertura_corte_integridad"
    assert _tablero(app, e.proceso_id) == []


def test_credential_list_hash_recomputed_from_stored_keys(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    with transaccion(_fabrica(app)) as bd:
        una = bd.scalars(select(CredencialPublica).limit(1)).one()
        una.publica = a_json(generar_credencial(GRUPO_ESTANDAR).publica)  # una X sustituida
    cab = sesion_api(cliente, e.admin)
    revision = cliente.get(f"/api/v1/sivei/apertura/{e.proceso_id}/revision?corte={e.corte_id}", headers=cab)
    assert revision.status_code == 409 and error(revision) == "apertura_hash_credenciales"
    assert revision.get_json()["error"]["detalles"]["publicado"] == e.h_c.hex()
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}", json={"corte": e.corte_id, "fin": fin_en(5)}, headers=cab
    )
    assert r.status_code == 409 and error(r) == "apertura_hash_credenciales"


def test_missing_credential_list(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    with transaccion(_fabrica(app)) as bd:
        lista = bd.scalars(select(ListaCredencialesPublicas)).one()
        bd.delete(lista)  # con sus credenciales (cascada)
    cab = sesion_api(cliente, e.admin)
    r = cliente.post(
        f"/api/v1/sivei/apertura/{e.proceso_id}", json={"corte": e.corte_id, "fin": fin_en(5)}, headers=cab
    )
    assert r.status_code == 409 and error(r) == "apertura_sin_credenciales"


def test_window_must_be_valid_and_dates_need_a_zone(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    cab = sesion_api(cliente, e.admin)
    url = f"/api/v1/sivei/apertura/{e.proceso_id}"
    pasado = (ahora() - timedelta(minutes=1)).isoformat()
    r = cliente.post(url, json={"corte": e.corte_id, "fin": pasado}, headers=cab)
    assert r.status_code == 400 and error(r) == "ventana_votacion_invalida"
    r = cliente.post(url, json={"corte": e.corte_id, "inicio": fin_en(10), "fin": fin_en(5)}, headers=cab)
    assert r.status_code == 400 and error(r) == "ventana_votacion_invalida"
    r = cliente.post(url, json={"corte": e.corte_id, "fin": "2030-01-01T00:00:00"}, headers=cab)
    assert r.status_code == 400 and error(r) == "valor_invalido"
    r = cliente.post(url, json={"corte": e.corte_id, "fin": fin_en(5), "extra": 1}, headers=cab)
    assert r.status_code == 400 and error(r) == "campo_desconocido"
    assert _tablero(app, e.proceso_id) == [] and _estado(app, e.proceso_id) == "llave_publicada"
    with transaccion(_fabrica(app)) as bd:
        assert (
            bd.scalar(
                select(func.count()).select_from(EntradaBitacora).where(EntradaBitacora.accion == "abrir_votacion")
            )
            == 0
        )


def test_only_the_administrator_opens(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    url = f"/api/v1/sivei/apertura/{e.proceso_id}"
    cuerpo = {"corte": e.corte_id, "fin": fin_en(5)}
    assert error(cliente.post(url, json=cuerpo)) == "no_autenticado"
    for rol in (Rol.OPERADOR, Rol.AUDITOR, Rol.CUSTODIO):
        r = cliente.post(url, json=cuerpo, headers=sesion_api(cliente, crear_personal(app, rol)))
        assert r.status_code == 403 and error(r) == "rol_no_permitido"
    r = cliente.post(url, json=cuerpo, headers=e.electores[0].sesion(cliente))
    assert r.status_code == 403 and error(r) == "rol_no_permitido"
    # El auditor sí puede revisar sin abrir.
    aud = sesion_api(cliente, crear_personal(app, Rol.AUDITOR))
    revision = cliente.get(f"{url}/revision?corte={e.corte_id}", headers=aud).get_json()
    assert revision["correcta"] and revision["hash_credenciales"] == e.h_c.hex().upper()
    assert _estado(app, e.proceso_id) == "llave_publicada"


def test_opening_from_the_administrator_page(cliente: FlaskClient, app: Flask) -> None:
    e = crear_escenario(app, 2)
    url = f"/sivei/apertura/{e.proceso_id}"
    assert cliente.get(url).status_code == 302  # sin sesión: al acceso del personal
    entrar_paginas(cliente, e.admin)
    pagina = cliente.get(f"{url}?corte={e.corte_id}").get_data(as_text=True)
    assert "Las comprobaciones (20.1)–(20.6) pasaron" in pagina and e.h_c.hex().upper() in pagina
    r = enviar_formulario(cliente, url, {"corte": str(e.corte_id), "inicio": "", "fin": "mañana"})
    assert r.status_code == 400 and "valor_invalido" in r.get_data(as_text=True)
    assert _estado(app, e.proceso_id) == "llave_publicada"
    r = enviar_formulario(cliente, url, {"corte": str(e.corte_id), "inicio": "", "fin": fin_en(10)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/sivei/apertura/{e.proceso_id}/acta")
    assert _estado(app, e.proceso_id) == "abierta"
    assert "Acta de inicio" in cliente.get(url).get_data(as_text=True)
