"""Configuración de la elección (§19.1–19.2): API, página, validación y el preset del simulacro."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import crear_personal, entrar_paginas, enviar_formulario, sesion_api

from servidor_referencia.dominio.eleccion import configuracion_simulacro, manifiesto_simulacro
from servidor_referencia.dominio.roles import Rol
from vmre_crypto import ConfiguracionEleccion, Manifiesto, a_json, deserializar, serializar

# H_M del preset del simulacro (19.1): cambia solo si cambia el manifiesto o §4.2.
H_M_SIMULACRO = "863DBDEFB6A0B46DB46F73EAC233818D343D1C8B0C5B4BA08F4C63830B0B2426"


def _cuerpo(**cambios: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "nombre": "Simulacro VMRE",
        "custodios": 5,
        "cuorum": 3,
        "fecha": "2021-06-06",
        "info": "Simulacro VMRE",
        "preset": "simulacro",
    }
    base.update(cambios)
    return {k: v for k, v in base.items() if v is not None}


def test_preset_simulacro_estable() -> None:
    m = manifiesto_simulacro()
    assert [e.identificador for e in m.estilos] == ["03", "06", "08", "12", "14", "16", "18", "22", "24", "32"]
    assert len(m.contiendas) == 11
    assert m.estilo("12").contiendas == (4, 5)  # Guerrero: gubernatura y diputación
    assert m.contienda(m.estilo("14").contiendas[0]).etiqueta == "Diputación migrante de Jalisco"
    etiquetas = [o.etiqueta for o in m.contiendas[0].opciones]
    assert etiquetas[-2:] == ["Candidatura no registrada", "Voto nulo"] and "PAN-PRI-PRD" in etiquetas
    assert all(c.limite_seleccion == 1 for c in m.contiendas)
    assert configuracion_simulacro().h_m.hex().upper() == H_M_SIMULACRO


def test_crear_proceso_api_y_publicacion(app: Flask, cliente: FlaskClient) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/sivei/procesos", json=_cuerpo(), headers=admin)
    assert r.status_code == 201, r.get_json()
    creado = r.get_json()
    assert creado["estado"] == "configuracion" and creado["h_m"] == H_M_SIMULACRO
    # Público y sin sesión: la configuración canónica recalcula H_M y H_B.
    publico = cliente.get(f"/api/v1/sivei/procesos/{creado['id']}").get_json()
    cfg = deserializar(publico["configuracion"], ConfiguracionEleccion, None)
    assert cfg.h_b.hex().upper() == publico["h_b"] and cfg.h_m.hex().upper() == publico["h_m"]
    assert publico["manifiesto"] == a_json(manifiesto_simulacro())
    pagina = cliente.get(f"/sivei/procesos/{creado['id']}").get_data(as_text=True)
    assert H_M_SIMULACRO in pagina and "Gubernatura de Zacatecas" in pagina


def test_crear_proceso_con_manifiesto_propio(app: Flask, cliente: FlaskClient) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    m = manifiesto_simulacro()
    propio = Manifiesto("Solo Colima", (m.contiendas[0],), (m.estilos[0],))
    r = cliente.post(
        "/api/v1/sivei/procesos",
        json=_cuerpo(preset=None, manifiesto=a_json(propio), custodios=3, cuorum=2),
        headers=admin,
    )
    assert r.status_code == 201, r.get_json()
    esperado = ConfiguracionEleccion(3, 2, "2021-06-06", "Simulacro VMRE", propio)
    assert r.get_json()["h_b"] == esperado.h_b.hex().upper()
    # También se acepta el documento de ``serializar`` (con versión y tipo).
    import json

    r = cliente.post(
        "/api/v1/sivei/procesos",
        json=_cuerpo(preset=None, manifiesto=json.loads(serializar(propio)), custodios=3, cuorum=2),
        headers=admin,
    )
    assert r.status_code == 201 and r.get_json()["h_m"] == esperado.h_m.hex().upper()


@pytest.mark.parametrize(
    ("cambios", "codigo"),
    [
        ({"cuorum": 6}, "configuracion_eleccion_invalida"),
        ({"cuorum": 0}, "configuracion_eleccion_invalida"),
        ({"custodios": 0, "cuorum": 0}, "configuracion_eleccion_invalida"),
        ({"fecha": "06/06/2021"}, "configuracion_eleccion_invalida"),
        ({"preset": "otro"}, "configuracion_eleccion_invalida"),
        ({"preset": None}, "configuracion_eleccion_invalida"),
        ({"manifiesto": {"etiqueta": "x", "contiendas": [], "estilos": []}}, "configuracion_eleccion_invalida"),
        ({"preset": None, "manifiesto": {"etiqueta": "x", "contiendas": [], "estilos": []}}, "manifiesto_invalido"),
        ({"preset": None, "manifiesto": {"etiqueta": "x"}}, "manifiesto_invalido"),
        ({"custodios": "5"}, "tipo_invalido"),
        ({"sobrante": 1}, "campo_desconocido"),
        ({"nombre": None}, "campo_faltante"),
    ],
)
def test_validacion_configuracion(app: Flask, cliente: FlaskClient, cambios: dict[str, Any], codigo: str) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    r = cliente.post("/api/v1/sivei/procesos", json=_cuerpo(**cambios), headers=admin)
    assert r.status_code in (400, 422), r.get_json()
    assert r.get_json()["error"]["codigo"] == codigo
    assert cliente.get("/api/v1/sivei/procesos").get_json()["procesos"] == []


def test_manifiesto_con_estilo_incoherente(app: Flask, cliente: FlaskClient) -> None:
    admin = sesion_api(cliente, crear_personal(app, Rol.ADMINISTRADOR))
    manifiesto = a_json(manifiesto_simulacro())
    manifiesto["estilos"][0]["contiendas"] = [99]  # contienda inexistente (M5)
    r = cliente.post("/api/v1/sivei/procesos", json=_cuerpo(preset=None, manifiesto=manifiesto), headers=admin)
    assert r.status_code == 400 and r.get_json()["error"]["codigo"] == "manifiesto_invalido"


@pytest.mark.parametrize("rol", [Rol.CUSTODIO, Rol.AUDITOR, Rol.OPERADOR, Rol.REPRESENTANTE])
def test_solo_administracion_crea(app: Flask, cliente: FlaskClient, rol: Rol) -> None:
    cabeceras = sesion_api(cliente, crear_personal(app, rol))
    r = cliente.post("/api/v1/sivei/procesos", json=_cuerpo(), headers=cabeceras)
    assert r.status_code == 403 and r.get_json()["error"]["codigo"] == "rol_no_permitido"
    assert cliente.post("/api/v1/sivei/procesos", json=_cuerpo()).status_code == 401


def test_pagina_crear_y_asignar(app: Flask, cliente: FlaskClient) -> None:
    admin = crear_personal(app, Rol.ADMINISTRADOR)
    custodio = crear_personal(app, Rol.CUSTODIO)
    entrar_paginas(cliente, admin)
    datos = {
        "nombre": "Simulacro",
        "custodios": "1",
        "cuorum": "1",
        "fecha": "2021-06-06",
        "info": "x",
        "manifiesto": "",
    }
    r = enviar_formulario(cliente, "/sivei/procesos", {**datos, "cuorum": "2"})
    assert r.status_code == 400 and "configuracion_eleccion_invalida" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, "/sivei/procesos", datos)
    assert r.status_code == 302, r.get_data(as_text=True)
    url = r.headers["Location"]
    r = enviar_formulario(cliente, url, {"indice": "1", "usuario": "nadie"})
    assert r.status_code == 400 and "valor_invalido" in r.get_data(as_text=True)
    r = enviar_formulario(cliente, url, {"indice": "1", "usuario": custodio.usuario})
    assert r.status_code == 302
    pagina = cliente.get(url).get_data(as_text=True)
    assert "ceremonia" in pagina and f"Persona {custodio.usuario}" in pagina
