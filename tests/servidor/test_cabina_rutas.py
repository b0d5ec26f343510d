"""Rutas de la cabina web sin navegador (§24): acceso con regreso seguro, «mi cuenta», la boleta
con sus opciones especiales, las rutas JSON con sesión por cookie y CSRF por cabecera (cada
rechazo con su código, en JSON), el desafío y las páginas públicas con sus enlaces."""

from __future__ import annotations

import copy
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import CONTRASENA, crear_personal, csrf_de, entrar_paginas
from sqlalchemy import func, select
from test_votacion_fabrica import ElectorPrueba, Escenario, abrir, crear_escenario, error

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.personal import Sesion
from servidor_referencia.bd.votacion import BoletaRecibida, MarcaVoto
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.web.cuentas import destino_local
from vmre_crypto import GRUPO_ESTANDAR, a_json, cifrar_boleta, generar_credencial, serializar

MARCAS = {"08": {1: (2,)}, "14": {2: (3,), 3: (1, 3)}, "32": {4: (4,)}}
_META = re.compile(r'<meta name="vmre-csrf" content="([^"]+)">')


@pytest.fixture
def abierto(cliente: FlaskClient, app: Flask) -> Escenario:
    e = crear_escenario(app, 4)
    abrir(cliente, e)
    return e


def _entrar(cliente: FlaskClient, elector: ElectorPrueba, siguiente: str | None = None) -> Any:
    """Acceso del elector por la página (formulario con CSRF); devuelve la redirección."""
    url = "/elector/acceso" + (f"?siguiente={siguiente}" if siguiente is not None else "")
    csrf = csrf_de(cliente.get(url).get_data(as_text=True))
    datos = {"correo": elector.correo, "contrasena": CONTRASENA, "codigo": elector.codigo(), "_csrf": csrf}
    r = cliente.post(url, data=datos)
    assert r.status_code == 302, r.get_data(as_text=True)
    return r


def _csrf_cabina(cliente: FlaskClient, proceso_id: int) -> str:
    html = cliente.get(f"/sivei/votar/{proceso_id}").get_data(as_text=True)
    m = _META.search(html)
    assert m, "la cabina no trae el testigo CSRF en <meta>"
    return m.group(1)


def _boleta(e: Escenario, elector: ElectorPrueba, **cambios: Any) -> Any:
    credencial = cambios.pop("credencial", elector.credencial)
    estilo = cambios.pop("estilo", elector.entidad)
    return cifrar_boleta(e.contexto, estilo, MARCAS[estilo], credencial)


def _doc(preparada: Any) -> dict[str, Any]:
    return dict(json.loads(serializar(preparada.boleta)))


def _conteo(app: Flask, tabla: Any) -> int:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        return int(bd.scalar(select(func.count()).select_from(tabla)) or 0)


def test_destino_local_solo_acepta_rutas_del_elector() -> None:
    for bueno in ("/sivei/votar/3", "/elector/", "/sivei/recibo/1?codigo=AB"):
        assert destino_local(bueno) == bueno
    for malo in (
        "",
        "https://otro.example/sivei/votar/1",
        "//otro.example/sivei/",
        "/\\otro.example",
        "/sivei//otro",
        "/sivei/votar/1\r\nX: y",
        "/sivei/votar/ 1",
        "/personal/",
        "javascript:alert(1)",
        "sivei/votar/1",
        "/sivei/" + "x" * 300,
    ):
        assert destino_local(malo) is None, malo


def test_acceso_regresa_a_la_cabina_y_mi_cuenta_lista_los_procesos(
    cliente: FlaskClient, app: Flask, abierto: Escenario
) -> None:
    e, elector = abierto, abierto.electores[1]
    cabina = f"/sivei/votar/{e.proceso_id}"
    # (24.2) Sin sesión, la cabina lleva al acceso con ?siguiente y, al entrar, regresa.
    r = cliente.get(cabina)
    assert r.status_code == 302 and r.headers["Location"] == f"/elector/acceso?expirada=0&siguiente={cabina}"
    r = _entrar(cliente, elector, siguiente=cabina)
    assert r.headers["Location"] == cabina
    html = cliente.get(cabina).get_data(as_text=True)
    assert '<script type="module" src="/estaticos/cabina/cabina.js"></script>' in html
    assert 'data-trabajador="/estaticos/vmre/trabajador.js"' in html and 'data-cabecera-csrf="X-CSRF-Token"' in html
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html
    assert "Simulacro de pruebas" in html and "object at 0x" not in html
    assert "<form" not in html.split('id="cabina"')[1]  # (24.5) ningún formulario en la cabina
    segundos = int(re.search(r'data-sesion-s="(\d+)"', html).group(1))  # type: ignore[union-attr]
    assert 0 < segundos <= 30 * 60
    # (24.3) «Mi cuenta»: el proceso abierto con su botón «Votar».
    cuenta = cliente.get("/elector/").get_data(as_text=True)
    assert f'href="{cabina}">Votar</a>' in cuenta and "ya votó" not in cuenta
    # Un «siguiente» de otro sitio se ignora (otro elector, otra sesión).
    otro = app.test_client()
    r = _entrar(otro, e.electores[2], siguiente="//otro.example/sivei/votar/1")
    assert r.headers["Location"] == "/elector/"
    # Tras votar: «mi cuenta» lo dice y la cabina ya no carga el script.
    csrf = _csrf_cabina(cliente, e.proceso_id)
    r = cliente.post(f"{cabina}/depositar", json={"boleta": _doc(_boleta(e, elector))}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.get_json()
    cuenta = cliente.get("/elector/").get_data(as_text=True)
    assert "Usted ya votó en este proceso" in cuenta and f'href="{cabina}"' not in cuenta
    html = cliente.get(cabina).get_data(as_text=True)
    assert 'id="ya-voto"' in html and "cabina.js" not in html


def test_boleta_json_con_opciones_especiales(cliente: FlaskClient, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[1]  # Jalisco: contiendas 2 y 3
    _entrar(cliente, elector)
    datos = cliente.get(f"/sivei/votar/{e.proceso_id}/boleta.json").get_json()
    assert datos["especiales"] == [
        {"contienda": 2, "no_registrada": 3, "nulo": 4},
        {"contienda": 3, "no_registrada": None, "nulo": None},
    ]
    # Los documentos del manifiesto no cambian: los mismos que la biblioteca.
    manifiesto = e.contexto.manifiesto
    assert datos["contiendas"] == [a_json(manifiesto.contienda(i)) for i in (2, 3)]
    # La API del elector da lo mismo.
    api = cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta", headers=e.electores[1].sesion(cliente))
    assert {k: v for k, v in api.get_json().items()} == datos


def test_rutas_json_sesion_csrf_y_codigos(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[0]
    raiz = f"/sivei/votar/{e.proceso_id}"
    documento = _doc(_boleta(e, elector))
    # Sin sesión: 401 en JSON, nunca una redirección (24.4).
    for metodo, ruta, cuerpo in (("GET", "/boleta.json", None), ("POST", "/depositar", {"boleta": documento})):
        r = cliente.open(raiz + ruta, method=metodo, json=cuerpo)
        assert r.status_code == 401 and r.is_json and error(r) == "no_autenticado", ruta
        assert set(r.get_json()["error"]) == {"codigo", "mensaje", "detalles"}
    # La cabina no lee Bearer, y la API no lee la cookie.
    bearer = elector.sesion(cliente)
    r = cliente.get(f"{raiz}/boleta.json", headers=bearer)
    assert r.status_code == 401 and error(r) == "no_autenticado"
    _entrar(cliente, elector)
    r = cliente.get(f"/api/v1/sivei/votacion/{e.proceso_id}/boleta")
    assert r.status_code == 401 and error(r) == "no_autenticado"
    assert cliente.get(f"{raiz}/boleta.json").status_code == 200
    csrf = _csrf_cabina(cliente, e.proceso_id)

    # CSRF: ausente, equivocado o en el formulario en lugar de la cabecera → 400 csrf_invalido (JSON).
    for cabeceras, datos in (({}, None), ({"X-CSRF-Token": "otro"}, None), ({}, {"_csrf": csrf})):
        if datos is None:
            r = cliente.post(f"{raiz}/depositar", json={"boleta": documento}, headers=cabeceras)
        else:
            r = cliente.post(f"{raiz}/depositar", data=datos, headers=cabeceras)
        assert r.status_code == 400 and r.is_json and error(r) == "csrf_invalido", (cabeceras, r.get_data())
    cab = {"X-CSRF-Token": csrf}
    # Cuerpo estricto (§18.5).
    r = cliente.post(f"{raiz}/depositar", data="{}", headers={**cab, "Content-Type": "text/plain"})
    assert r.status_code == 415 and error(r) == "tipo_de_contenido_invalido"
    r = cliente.post(f"{raiz}/depositar", json={"boleta": documento, "x": 1}, headers=cab)
    assert r.status_code == 400 and error(r) == "campo_desconocido"
    # Documentos alterados: el código y el motivo precisos de (20.11), igual que la API.
    alterado = copy.deepcopy(documento)
    alterado["codigo_confirmacion"] = "00" * 32
    r = cliente.post(f"{raiz}/depositar", json={"boleta": alterado}, headers=cab)
    assert r.status_code == 400 and error(r) == "boleta_invalida"
    assert r.get_json()["error"]["detalles"]["motivo"] == "codigo_confirmacion_invalido"
    r = cliente.post(f"{raiz}/depositar", json={"boleta": _doc(_boleta(e, elector, estilo="14"))}, headers=cab)
    assert r.status_code == 400 and error(r) == "estilo_no_corresponde"
    ajena = _doc(_boleta(e, elector, credencial=generar_credencial(GRUPO_ESTANDAR)))
    r = cliente.post(f"{raiz}/depositar", json={"boleta": ajena}, headers=cab)
    assert r.status_code == 403 and error(r) == "credencial_no_registrada"
    assert _conteo(app, BoletaRecibida) == 0 and _conteo(app, MarcaVoto) == 0
    # La buena entra con el recibo de (20.15); la segunda, ya_voto.
    r = cliente.post(f"{raiz}/depositar", json={"boleta": documento}, headers=cab)
    assert r.status_code == 201, r.get_json()
    recibo = r.get_json()
    assert recibo["estado"] == "depositada" and recibo["codigo_confirmacion"] == documento["codigo_confirmacion"]
    r = cliente.post(f"{raiz}/depositar", json={"boleta": _doc(_boleta(e, elector))}, headers=cab)
    assert r.status_code == 409 and error(r) == "ya_voto"
    # Sesión vencida: 401 sesion_expirada en JSON y la cookie pierde el testigo.
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        for s in bd.scalars(select(Sesion).where(Sesion.sujeto_tipo == "elector")):
            s.expira = ahora() - timedelta(seconds=1)
    r = cliente.get(f"{raiz}/boleta.json")
    assert r.status_code == 401 and error(r) == "sesion_expirada"
    r = cliente.get(f"{raiz}/boleta.json")
    assert r.status_code == 401 and error(r) == "no_autenticado"
    # La página, en cambio, redirige al acceso con ?expirada y regresa.
    r = cliente.get(raiz)
    assert r.status_code == 302 and "/elector/acceso?expirada=" in r.headers["Location"]


def test_personal_no_usa_la_cabina(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e = abierto
    auditor = crear_personal(app, Rol.AUDITOR)
    entrar_paginas(cliente, auditor)
    csrf = csrf_de(cliente.get("/personal/").get_data(as_text=True))
    documento = _doc(_boleta(e, e.electores[0]))
    for ruta in ("/depositar", "/desafiar"):
        r = cliente.post(
            f"/sivei/votar/{e.proceso_id}{ruta}", json={"boleta": documento}, headers={"X-CSRF-Token": csrf}
        )
        assert r.status_code == 403 and error(r) == "rol_no_permitido", ruta
    r = cliente.get(f"/sivei/votar/{e.proceso_id}/boleta.json")
    assert r.status_code == 403 and r.is_json


def test_desafio_por_la_cabina_y_luego_deposito(cliente: FlaskClient, app: Flask, abierto: Escenario) -> None:
    e, elector = abierto, abierto.electores[1]
    raiz = f"/sivei/votar/{e.proceso_id}"
    _entrar(cliente, elector)
    cab = {"X-CSRF-Token": _csrf_cabina(cliente, e.proceso_id)}
    preparada = _boleta(e, elector)
    apertura = json.loads(serializar(preparada.apertura()))
    # Una apertura de otra boleta: apertura_invalida.
    otra = json.loads(serializar(_boleta(e, elector).apertura()))
    r = cliente.post(f"{raiz}/desafiar", json={"boleta": _doc(preparada), "apertura": otra}, headers=cab)
    assert r.status_code == 400 and error(r) == "boleta_invalida"
    assert r.get_json()["error"]["detalles"]["motivo"] == "apertura_invalida"
    r = cliente.post(f"{raiz}/desafiar", json={"boleta": _doc(preparada)}, headers=cab)
    assert r.status_code == 400 and error(r) == "campo_faltante"
    r = cliente.post(f"{raiz}/desafiar", json={"boleta": _doc(preparada), "apertura": apertura}, headers=cab)
    assert r.status_code == 201, r.get_json()
    desafio = r.get_json()
    assert desafio["estado"] == "desafiada" and desafio["selecciones"] == {"2": [3], "3": [1, 3]}
    # La desafiada ya no se deposita; otra nueva sí (el desafío no deja marca).
    r = cliente.post(f"{raiz}/depositar", json={"boleta": _doc(preparada)}, headers=cab)
    assert r.status_code == 409 and error(r) == "boleta_duplicada"
    r = cliente.post(f"{raiz}/depositar", json={"boleta": _doc(_boleta(e, elector))}, headers=cab)
    assert r.status_code == 201
    tablero = cliente.get(f"/api/v1/sivei/tablero/{e.proceso_id}/codigo/{desafio['codigo_confirmacion']}")
    assert tablero.get_json()["estado"] == "desafiada"


def test_paginas_publicas_y_enlaces(cliente: FlaskClient, abierto: Escenario) -> None:
    p = abierto.proceso_id
    enlaces = (
        f"/sivei/tablero/{p}",
        f"/sivei/recibo/{p}",
        f"/sivei/resultados/{p}",
        f"/sivei/apertura/{p}/acta",
        f"/sivei/computo/{p}/acta",
    )
    r = cliente.get(f"/sivei/recibo/{p}?codigo=AB%20CD")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    html = r.get_data(as_text=True)
    assert '<script type="module" src="/estaticos/cabina/recibo.js"></script>' in html
    assert f'action="/sivei/tablero/{p}"' in html and 'value="AB CD"' in html  # sin JavaScript, al tablero
    assert 'data-api="/api/v1/sivei/tablero/' in html and "<script>" not in html and " style=" not in html
    for enlace in enlaces[:1] + enlaces[2:]:
        assert f'href="{enlace}"' in html, enlace
    tablero = cliente.get(f"/sivei/tablero/{p}").get_data(as_text=True)
    assert "object at 0x" not in tablero  # el pie dice el nombre del sistema, no la fila del proceso
    for enlace in enlaces[1:]:
        assert f'href="{enlace}"' in tablero, enlace
    assert cliente.get(f"/sivei/recibo/{p + 99}").status_code == 404
    # Los módulos de la cabina se sirven como JavaScript.
    for modulo in ("cabina", "recibo", "boleta", "canal", "servidor", "formato", "credencial"):
        r = cliente.get(f"/estaticos/cabina/{modulo}.js")
        assert r.status_code == 200 and "javascript" in r.mimetype, modulo


def test_la_barra_del_elector_ofrece_mi_cuenta_y_cerrar_sesion(app: Flask, cliente: FlaskClient) -> None:
    """Con sesión de elector, la barra de navegación lleva a «Mi cuenta» y cierra la sesión (17.6)."""
    e = crear_escenario(app, 1)
    sin_sesion = cliente.get("/sivei/tablero/1").get_data(as_text=True)
    assert "Mi cuenta" not in sin_sesion and "Solicitar inscripción" in sin_sesion
    elector = e.electores[0]
    html = cliente.get("/elector/acceso").get_data(as_text=True)
    r = cliente.post(
        "/elector/acceso",
        data={"_csrf": csrf_de(html), "correo": elector.correo, "contrasena": CONTRASENA, "codigo": elector.codigo()},
    )
    assert r.status_code == 302
    pagina = cliente.get("/elector/").get_data(as_text=True)
    assert pagina.count("Cerrar sesión") == 1 and 'href="/elector/"' in pagina
    r = cliente.post("/elector/salir", data={"_csrf": csrf_de(pagina)})
    assert r.status_code == 302
    assert cliente.get("/elector/").status_code == 302  # la sesión ya no vale: de vuelta al acceso
