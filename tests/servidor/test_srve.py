"""SRVE por HTTP (§15): alta con folio y correo real, unicidad, concurrencia, seguimiento,
recuperación de folio, dictaminación, subsanación y su plazo, INETEL, roles y bitácora."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from herramientas import crear_personal, csrf_de, cuerpo, despachar, entrar_paginas, enviar_formulario, sesion_api
from sqlalchemy import func, select
from srve_datos import contar, solicitud

from servidor_referencia.bd.base import ahora, transaccion
from servidor_referencia.bd.correo import MensajeSaliente
from servidor_referencia.bd.personal import EntradaBitacora
from servidor_referencia.bd.srve import EventoSolicitud, Solicitud
from servidor_referencia.dominio.roles import Rol
from servidor_referencia.dominio.solicitudes import LETRAS_FOLIO, formar_folio

FOLIO = re.compile(r"^VMRE-(\d{2})-(\d{7})-([A-Z])$")


def alta(cliente: FlaskClient, n: int = 1, **cambios: Any) -> dict[str, Any]:
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(n, **cambios))
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def error(r: Any) -> str:
    return r.get_json()["error"]["codigo"]  # type: ignore[no-any-return]


def seguimiento(cliente: FlaskClient, folio: str, correo: str) -> dict[str, Any]:
    r = cliente.post("/api/v1/srve/seguimiento", json={"folio": folio, "correo": correo})
    assert r.status_code == 200, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def dictaminar(cliente: FlaskClient, cab: dict[str, str], folio: str, **cuerpo_json: Any) -> Any:
    return cliente.post(f"/api/v1/srve/solicitudes/{folio}/dictamen", json=cuerpo_json, headers=cab)


def fila(app: Flask, folio: str) -> Solicitud:
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        s = bd.scalars(select(Solicitud).where(Solicitud.folio == folio)).one()
        s.historial  # noqa: B018  (carga el historial antes de cerrar)
        return s


# ---------------------------------------------------------------- alta y folio


def test_alta_por_api_da_folio_valido_historial_y_correo(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    datos = alta(cliente, 1, correo="Persona1@Example.COM", telefono="001 (213) 555-0001")
    m = FOLIO.match(datos["folio"])
    assert m, datos
    assert m.group(3) == LETRAS_FOLIO[int(m.group(1) + m.group(2)) % 23]  # (15.21)
    assert datos["estado"] == "en_revision" and datos["canal"] == "portal"
    assert datos["correo"] == "persona1@example.com" and datos["telefono"] == "+12135550001"  # (15.18), (15.19)
    s = fila(app, datos["folio"])
    assert s.activa and [(e.estado_anterior, e.estado_nuevo, e.actor, e.canal) for e in s.historial] == [
        (None, "en_revision", "ciudadano", "api")
    ]
    assert despachar(app) == 1
    mensajes = correo.para("persona1@example.com")
    assert len(mensajes) == 1 and datos["folio"] in mensajes[0]["Subject"] and datos["folio"] in cuerpo(mensajes[0])


def test_alta_por_pagina_muestra_folio_y_lo_envia(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    r = enviar_formulario(cliente, "/srve/solicitud", solicitud(2))
    assert r.status_code == 302 and r.headers["Location"].endswith("/srve/solicitud/recibida")
    pagina = cliente.get("/srve/solicitud/recibida").get_data(as_text=True)
    folio = re.search(r'id="folio">([^<]+)<', pagina).group(1)  # type: ignore[union-attr]
    assert FOLIO.match(folio)
    assert [e.canal for e in fila(app, folio).historial] == ["web"]
    despachar(app)
    assert folio in cuerpo(correo.para("persona2@example.com")[0])


def test_pagina_con_error_conserva_datos_y_senala_el_campo(app: Flask, cliente: FlaskClient) -> None:
    r = enviar_formulario(cliente, "/srve/solicitud", solicitud(3, clave_elector="GOLOMR85031299M003"))
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "clave_elector_invalida" in html
    assert 'id="clave_elector" name="clave_elector" aria-describedby="ayuda-clave_elector" aria-invalid="true"' in html
    assert 'value="María José"' in html
    assert contar(app) == 0


def test_formulario_sin_csrf_se_rechaza_sin_escribir(app: Flask, cliente: FlaskClient) -> None:
    cliente.get("/srve/solicitud")
    r = cliente.post("/srve/solicitud", data=solicitud(4))
    assert r.status_code == 400 and "csrf_invalido" in r.get_data(as_text=True)
    r = cliente.post("/srve/solicitud", data={**solicitud(4), "_csrf": "otro"})
    assert r.status_code == 400
    for url in ("/srve/seguimiento", "/srve/recuperar-folio", "/srve/subsanar"):
        assert cliente.post(url, data={"correo": "a@example.com"}).status_code == 400
    assert contar(app) == 0


def test_entrada_json_estricta(app: Flask, cliente: FlaskClient) -> None:
    url = "/api/v1/srve/solicitudes"
    assert error(cliente.post(url, data=b"{", content_type="application/json")) == "json_malformado"
    assert error(cliente.post(url, data=b"nombres=x", content_type="text/plain")) == "tipo_de_contenido_invalido"
    assert error(cliente.post(url, json={**solicitud(5), "extra": "x"})) == "campo_desconocido"
    assert error(cliente.post(url, json={**solicitud(5), "nombres": 7})) == "tipo_invalido"
    sin = solicitud(5)
    del sin["correo"]
    r = cliente.post(url, json=sin)
    assert error(r) == "campo_faltante" and r.get_json()["error"]["detalles"]["campo"] == "correo"
    opcionales = {
        k: v for k, v in solicitud(5).items() if k not in ("segundo_apellido", "region", "codigo_postal", "cic")
    }
    assert cliente.post(url, json=opcionales).status_code == 201
    assert contar(app) == 1


# ---------------------------------------------------------------- unicidad (15.24)–(15.27)


def test_unicidad_entre_activas_con_codigos_precisos(app: Flask, cliente: FlaskClient) -> None:
    alta(cliente, 10)
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(11, clave_elector=solicitud(10)["clave_elector"]))
    assert r.status_code == 409 and error(r) == "solicitud_duplicada"
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(11, correo="PERSONA10@example.com"))
    assert r.status_code == 409 and error(r) == "correo_en_uso"
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(11, telefono="+1 (213) 555-0010"))
    assert r.status_code == 409 and error(r) == "telefono_en_uso"
    assert contar(app) == 1
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bd.scalar(select(func.count()).select_from(MensajeSaliente)) == 1


def _en_paralelo(app: Flask, cuerpos: list[dict[str, Any]]) -> list[Any]:
    barrera = threading.Barrier(len(cuerpos))
    respuestas: list[Any] = [None] * len(cuerpos)

    def enviar(i: int) -> None:
        c = app.test_client()
        barrera.wait()
        r = c.post("/api/v1/srve/solicitudes", json=cuerpos[i])
        respuestas[i] = (r.status_code, r.get_json())

    hilos = [threading.Thread(target=enviar, args=(i,)) for i in range(len(cuerpos))]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(60)
    return respuestas


def test_solicitudes_duplicadas_concurrentes_solo_una_gana(app: Flask) -> None:
    respuestas = _en_paralelo(app, [solicitud(20)] * 6)
    estados = sorted(r[0] for r in respuestas)
    assert estados == [201, 409, 409, 409, 409, 409], respuestas
    assert {r[1]["error"]["codigo"] for r in respuestas if r[0] == 409} == {"solicitud_duplicada"}
    assert contar(app) == 1


def test_correo_repetido_concurrente_solo_una_gana(app: Flask) -> None:
    respuestas = _en_paralelo(app, [solicitud(30 + i, correo="mismo@example.com") for i in range(5)])
    assert sorted(r[0] for r in respuestas) == [201, 409, 409, 409, 409], respuestas
    assert {r[1]["error"]["codigo"] for r in respuestas if r[0] == 409} == {"correo_en_uso"}
    assert contar(app, correo="mismo@example.com") == 1


# ---------------------------------------------------------------- seguimiento y recuperación


def test_seguimiento_pide_folio_y_correo_y_limita_fallas(app: Flask, cliente: FlaskClient) -> None:
    datos = alta(cliente, 40)
    vista = seguimiento(cliente, datos["folio"].lower().replace("-", " "), "PERSONA40@example.com")
    assert vista["estado"] == "en_revision" and "revisión" in vista["siguiente_paso"]
    assert set(vista["historial"][0]) == {"momento", "estado", "estado_texto", "nota"}  # sin actor ni canal
    r = cliente.post("/api/v1/srve/seguimiento", json={"folio": datos["folio"], "correo": "otra@example.com"})
    assert r.status_code == 404 and error(r) == "no_encontrado"
    malo = datos["folio"][:-1] + ("A" if datos["folio"][-1] != "A" else "B")
    r = cliente.post("/api/v1/srve/seguimiento", json={"folio": malo, "correo": "persona40@example.com"})
    assert r.status_code == 400 and error(r) == "folio_invalido"
    for _ in range(8):
        cliente.post(
            "/api/v1/srve/seguimiento", json={"folio": formar_folio("26", "0000000"), "correo": "x@example.com"}
        )
    r = cliente.post("/api/v1/srve/seguimiento", json={"folio": datos["folio"], "correo": "persona40@example.com"})
    assert r.status_code == 429 and error(r) == "demasiados_intentos"  # (15.29): 10 fallas por IP


def test_seguimiento_por_pagina(app: Flask, cliente: FlaskClient) -> None:
    datos = alta(cliente, 41)
    r = enviar_formulario(cliente, "/srve/seguimiento", {"folio": datos["folio"], "correo": "persona41@example.com"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "En revisión" in html and datos["folio"] in html
    r = enviar_formulario(cliente, "/srve/seguimiento", {"folio": datos["folio"], "correo": "otro@example.com"})
    assert r.status_code == 404 and "no_encontrado" in r.get_data(as_text=True)


def test_recuperacion_de_folio_responde_igual_y_envia_solo_si_existe(
    app: Flask, cliente: FlaskClient, correo: Any
) -> None:
    datos = alta(cliente, 50)
    despachar(app)
    r1 = cliente.post("/api/v1/srve/recuperar-folio", json={"correo": "Persona50@example.com"})
    r2 = cliente.post("/api/v1/srve/recuperar-folio", json={"correo": "nadie@example.com"})
    assert r1.status_code == r2.status_code == 202 and r1.get_json() == r2.get_json()
    p1 = enviar_formulario(cliente, "/srve/recuperar-folio", {"correo": "persona50@example.com"})
    p2 = enviar_formulario(cliente, "/srve/recuperar-folio", {"correo": "nadie@example.com"})
    quitar = re.compile(r'name="_csrf" value="[^"]+"')
    assert p1.status_code == p2.status_code == 200
    assert quitar.sub("", p1.get_data(as_text=True)) == quitar.sub("", p2.get_data(as_text=True))
    despachar(app)
    recuperaciones = [m for m in correo.para("persona50@example.com") if "Recuperación" in m["Subject"]]
    assert len(recuperaciones) == 2 and datos["folio"] in cuerpo(recuperaciones[0])
    assert correo.para("nadie@example.com") == []
    assert error(cliente.post("/api/v1/srve/recuperar-folio", json={"correo": "no-es-correo"})) == "correo_invalido"
    r = cliente.post("/api/v1/srve/recuperar-folio", json={"correo": "persona50@example.com"})
    assert r.status_code == 202
    r = cliente.post("/api/v1/srve/recuperar-folio", json={"correo": "persona50@example.com"})
    assert r.status_code == 429 and error(r) == "demasiados_intentos"  # (15.30): 3 por correo


# ---------------------------------------------------------------- dictaminación y subsanación


def test_ciclo_completo_subsanar_y_procedente(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    operador = crear_personal(app, Rol.OPERADOR)
    cab = sesion_api(cliente, operador)
    datos = alta(cliente, 60)
    folio = datos["folio"]
    r = dictaminar(
        cliente,
        cab,
        folio,
        resultado="requiere_subsanar",
        campos=["telefono", "ciudad"],
        observaciones="El teléfono no contesta y la ciudad no coincide con el comprobante.",
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["campos_a_subsanar"] == ["ciudad", "telefono"]  # orden de §15.2.5
    despachar(app)
    aviso = [m for m in correo.para("persona60@example.com") if "requiere subsanar" in m["Subject"]]
    assert aviso and "Teléfono móvil" in cuerpo(aviso[0]) and "no contesta" in cuerpo(aviso[0])

    vista = seguimiento(cliente, folio, "persona60@example.com")
    assert vista["estado"] == "requiere_subsanar" and vista["campos_a_subsanar"] == ["ciudad", "telefono"]
    assert vista["plazo_subsanar"]

    url = "/api/v1/srve/subsanar"
    base = {"folio": folio, "correo": "persona60@example.com"}
    r = cliente.post(
        url, json={**base, "correcciones": {"ciudad": "San Diego", "telefono": "+1 619 555 0060", "nombres": "Otra"}}
    )
    assert r.status_code == 400 and error(r) == "campo_no_senalado"
    r = cliente.post(url, json={**base, "correcciones": {"ciudad": "San Diego"}})
    assert r.status_code == 400 and error(r) == "campo_faltante"
    r = cliente.post(url, json={**base, "correcciones": {"ciudad": "San Diego", "telefono": "123"}})
    assert r.status_code == 400 and error(r) == "telefono_invalido"
    otra = alta(cliente, 61)
    r = cliente.post(url, json={**base, "correcciones": {"ciudad": "San Diego", "telefono": otra["telefono"]}})
    assert r.status_code == 409 and error(r) == "telefono_en_uso"
    r = cliente.post(url, json={**base, "correcciones": {"ciudad": "San Diego", "telefono": "+1 619 555 0060"}})
    assert r.status_code == 200 and r.get_json()["estado"] == "en_revision"
    s = fila(app, folio)
    assert s.domicilio["ciudad"] == "San Diego" and s.telefono == "+16195550060" and s.campos_a_subsanar == []
    assert s.nombres == "María José"

    r = dictaminar(cliente, cab, folio, resultado="procedente")
    assert r.status_code == 200 and r.get_json()["estado"] == "procedente"
    s = fila(app, folio)
    assert s.activa and [(e.estado_anterior, e.estado_nuevo, e.actor, e.canal) for e in s.historial] == [
        (None, "en_revision", "ciudadano", "api"),
        ("en_revision", "requiere_subsanar", f"usuario:{operador.id}", "api"),
        ("requiere_subsanar", "en_revision", "ciudadano", "api"),
        ("en_revision", "procedente", f"usuario:{operador.id}", "api"),
    ]
    vista = seguimiento(cliente, folio, "persona60@example.com")
    assert vista["estado"] == "procedente" and "cuenta de acceso" in vista["siguiente_paso"]
    assert [h["estado"] for h in vista["historial"]] == [
        "en_revision",
        "requiere_subsanar",
        "en_revision",
        "procedente",
    ]
    despachar(app)
    asuntos = [m["Subject"] for m in correo.para("persona60@example.com")]
    assert any("procedente" in a for a in asuntos) and any("en revisión" in a for a in asuntos)

    # (15.1)–(15.6): una procedente ya no se dictamina ni se subsana.
    r = dictaminar(cliente, cab, folio, resultado="improcedente", motivo="firma")
    assert r.status_code == 409 and error(r) == "transicion_invalida"
    r = cliente.post(url, json={**base, "correcciones": {}})
    assert r.status_code == 409 and error(r) == "transicion_invalida"
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(62, clave_elector=solicitud(60)["clave_elector"]))
    assert error(r) == "solicitud_duplicada"

    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        entradas = bd.scalars(select(EntradaBitacora).where(EntradaBitacora.accion == "dictaminar_solicitud")).all()
        assert [e.detalles["resultado"] for e in entradas] == ["requiere_subsanar", "procedente"]
        assert all(e.actor == f"usuario:{operador.id}" and e.rol == "operador" for e in entradas)
        assert {e.objeto for e in entradas} == {f"solicitud:{folio}"}
        assert "persona60" not in str([e.detalles for e in entradas])


def test_improcedente_libera_la_clave_y_avisa_el_motivo(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 70)
    r = dictaminar(
        cliente,
        cab,
        datos["folio"],
        resultado="improcedente",
        motivo="documento_apocrifo",
        observaciones="La credencial presentada no es auténtica.",
    )
    assert r.status_code == 200 and r.get_json()["activa"] is False
    despachar(app)
    aviso = [m for m in correo.para("persona70@example.com") if "improcedente" in m["Subject"]]
    assert aviso and "apócrifo" in cuerpo(aviso[0])
    vista = seguimiento(cliente, datos["folio"], "persona70@example.com")
    assert vista["motivo_improcedencia"] == "documento_apocrifo" and "nueva solicitud" in vista["siguiente_paso"]
    nueva = alta(cliente, 70)
    assert nueva["folio"] != datos["folio"]
    assert contar(app, clave_elector=solicitud(70)["clave_elector"]) == 2
    assert contar(app, clave_elector=solicitud(70)["clave_elector"], activa=True) == 1


@pytest.mark.parametrize(
    ("cuerpo_json", "codigo"),
    [
        ({"resultado": "aprobada"}, "dictamen_invalido"),
        ({"resultado": "improcedente"}, "motivo_improcedencia_invalido"),
        ({"resultado": "improcedente", "motivo": "no_me_gusta"}, "motivo_improcedencia_invalido"),
        ({"resultado": "procedente", "motivo": "firma"}, "dictamen_invalido"),
        ({"resultado": "procedente", "campos": ["ciudad"]}, "dictamen_invalido"),
        ({"resultado": "requiere_subsanar", "observaciones": "x"}, "campos_a_subsanar_invalidos"),
        ({"resultado": "requiere_subsanar", "campos": ["folio"], "observaciones": "x"}, "campos_a_subsanar_invalidos"),
        (
            {"resultado": "requiere_subsanar", "campos": ["ciudad", "ciudad"], "observaciones": "x"},
            "campos_a_subsanar_invalidos",
        ),
        ({"resultado": "requiere_subsanar", "campos": ["ciudad"]}, "dictamen_invalido"),
        ({"resultado": "requiere_subsanar", "campos": "ciudad", "observaciones": "x"}, "tipo_invalido"),
        ({"resultado": "requiere_subsanar", "campos": [3], "observaciones": "x"}, "tipo_invalido"),
        ({"resultado": "procedente", "extra": 1}, "campo_desconocido"),
        ({"resultado": "procedente", "observaciones": "x" * 1001}, "valor_invalido"),
    ],
)
def test_dictamen_invalido_no_cambia_nada(
    app: Flask, cliente: FlaskClient, cuerpo_json: dict[str, Any], codigo: str
) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 80)
    r = dictaminar(cliente, cab, datos["folio"], **cuerpo_json)
    assert r.status_code == 400 and error(r) == codigo, r.get_json()
    s = fila(app, datos["folio"])
    assert s.estado == "en_revision" and len(s.historial) == 1 and s.version == 1


def test_tipo_credencial_senalado_arrastra_ocr_y_cic(app: Flask, cliente: FlaskClient) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 81)
    r = dictaminar(
        cliente,
        cab,
        datos["folio"],
        resultado="requiere_subsanar",
        campos=["tipo_credencial"],
        observaciones="Su credencial fue emitida en el extranjero.",
    )
    assert r.get_json()["campos_a_subsanar"] == ["tipo_credencial", "ocr", "cic"]  # (15.32)
    r = cliente.post(
        "/api/v1/srve/subsanar",
        json={
            "folio": datos["folio"],
            "correo": "persona81@example.com",
            "correcciones": {"tipo_credencial": "extranjero", "ocr": "", "cic": "123456789"},
        },
    )
    assert r.status_code == 200, r.get_json()
    s = fila(app, datos["folio"])
    assert (s.tipo_credencial, s.ocr, s.cic) == ("extranjero", "", "123456789")


def test_plazo_para_subsanar_vencido(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 90)
    dictaminar(
        cliente,
        cab,
        datos["folio"],
        resultado="requiere_subsanar",
        campos=["ciudad"],
        observaciones="Falta la ciudad correcta.",
    )
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        s = bd.scalars(select(Solicitud).where(Solicitud.folio == datos["folio"])).one()
        s.plazo_subsanar = ahora() - timedelta(seconds=1)
    r = cliente.post(
        "/api/v1/srve/subsanar",
        json={"folio": datos["folio"], "correo": "persona90@example.com", "correcciones": {"ciudad": "Chicago"}},
    )
    assert r.status_code == 409 and error(r) == "plazo_vencido"
    assert fila(app, datos["folio"]).domicilio["ciudad"] == "Los Ángeles"
    vista = seguimiento(cliente, datos["folio"], "persona90@example.com")
    assert vista["estado"] == "plazo_vencido" and vista["activa"] is False
    s = fila(app, datos["folio"])
    assert s.historial[-1].actor == "sistema" and s.historial[-1].canal == "sistema"
    despachar(app)
    assert any("plazo" in m["Subject"].lower() for m in correo.para("persona90@example.com"))
    assert alta(cliente, 90)["estado"] == "en_revision"  # la clave quedó libre


def test_plazo_vencido_libera_la_clave_sin_consulta_previa(app: Flask, cliente: FlaskClient) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 91)
    dictaminar(cliente, cab, datos["folio"], resultado="requiere_subsanar", campos=["ciudad"], observaciones="x")
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        bd.scalars(select(Solicitud).where(Solicitud.folio == datos["folio"])).one().plazo_subsanar = (
            ahora() - timedelta(minutes=5)
        )
    nueva = alta(cliente, 91)  # (15.34) antes de comparar (15.24)
    assert nueva["folio"] != datos["folio"] and fila(app, datos["folio"]).estado == "plazo_vencido"


def test_dictamen_concurrente_gana_uno(app: Flask, cliente: FlaskClient) -> None:
    cabs = [sesion_api(cliente, crear_personal(app, Rol.OPERADOR)) for _ in range(2)]
    datos = alta(cliente, 95)
    barrera = threading.Barrier(2)
    resultados: list[Any] = [None, None]

    def rolar(i: int) -> None:
        c = app.test_client()
        barrera.wait()
        r = dictaminar(
            c,
            cabs[i],
            datos["folio"],
            **({"resultado": "procedente"} if i == 0 else {"resultado": "improcedente", "motivo": "firma"}),
        )
        resultados[i] = (r.status_code, r.get_json())

    hilos = [threading.Thread(target=rolar, args=(i,)) for i in range(2)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(60)
    assert sorted(r[0] for r in resultados) == [200, 409], resultados
    assert {r[1]["error"]["codigo"] for r in resultados if r[0] == 409} <= {"transicion_invalida", "conflicto"}
    assert len(fila(app, datos["folio"]).historial) == 2


# ---------------------------------------------------------------- INETEL, roles, páginas del personal


def test_inetel_por_api_registra_canal_y_quien_capturo(app: Flask, cliente: FlaskClient, correo: Any) -> None:
    inetel = crear_personal(app, Rol.OPERADOR_INETEL)
    cab = sesion_api(cliente, inetel)
    r = cliente.post("/api/v1/srve/inetel/solicitudes", json=solicitud(100), headers=cab)
    assert r.status_code == 201 and r.get_json()["canal"] == "inetel"
    s = fila(app, r.get_json()["folio"])
    assert s.capturada_por == inetel.id and s.canal == "inetel"
    assert [(e.actor, e.canal) for e in s.historial] == [(f"usuario:{inetel.id}", "inetel")]
    r = cliente.post("/api/v1/srve/inetel/solicitudes", json=solicitud(101, ocr="12"), headers=cab)
    assert r.status_code == 400 and error(r) == "ocr_invalido"  # misma validación (15.37)
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        entrada = bd.scalars(select(EntradaBitacora).where(EntradaBitacora.accion == "capturar_solicitud")).one()
        assert entrada.actor == f"usuario:{inetel.id}" and entrada.detalles["folio"] == s.folio
    despachar(app)
    assert "INETEL" in cuerpo(correo.para("persona100@example.com")[0])


def test_inetel_por_pagina(app: Flask, cliente: FlaskClient) -> None:
    inetel = crear_personal(app, Rol.OPERADOR_INETEL)
    entrar_paginas(cliente, inetel)
    r = enviar_formulario(cliente, "/srve/inetel", solicitud(102))
    assert r.status_code == 302
    html = cliente.get("/srve/inetel").get_data(as_text=True)
    folio = re.search(r"folio (VMRE-\d{2}-\d{7}-[A-Z])", html).group(1)  # type: ignore[union-attr]
    assert fila(app, folio).capturada_por == inetel.id


def test_roles(app: Flask, cliente: FlaskClient) -> None:
    datos = alta(cliente, 110)
    folio = datos["folio"]
    cabeceras = {rol: sesion_api(cliente, crear_personal(app, rol)) for rol in Rol}
    for rol, cab in cabeceras.items():
        lista = cliente.get("/api/v1/srve/solicitudes", headers=cab)
        detalle = cliente.get(f"/api/v1/srve/solicitudes/{folio}", headers=cab)
        dictamen = dictaminar(cliente, cab, folio, resultado="improcedente", motivo="firma")
        inetel = cliente.post("/api/v1/srve/inetel/solicitudes", json=solicitud(111), headers=cab)
        lee = rol in (Rol.OPERADOR, Rol.AUDITOR, Rol.ADMINISTRADOR)
        assert (lista.status_code, detalle.status_code) == ((200, 200) if lee else (403, 403)), rol
        if rol is not Rol.OPERADOR:
            assert dictamen.status_code == 403 and error(dictamen) == "rol_no_permitido", rol
        if rol is not Rol.OPERADOR_INETEL:
            assert inetel.status_code == 403, rol
    assert fila(app, folio).estado == "improcedente"  # solo el operador dictaminó
    assert cliente.get("/api/v1/srve/solicitudes").status_code == 401
    assert dictaminar(cliente, {}, folio, resultado="procedente").status_code == 401
    vista = cliente.get(f"/api/v1/srve/solicitudes/{folio}", headers=cabeceras[Rol.AUDITOR]).get_json()
    assert vista["datos"]["clave_elector"] == solicitud(110)["clave_elector"]
    assert vista["historial"][-1]["actor"].startswith("usuario:")
    r = cliente.get("/api/v1/srve/solicitudes?estado=improcedente", headers=cabeceras[Rol.AUDITOR]).get_json()
    assert r["total"] == 1 and r["solicitudes"][0]["folio"] == folio
    r = cliente.get("/api/v1/srve/solicitudes?estado=otro", headers=cabeceras[Rol.AUDITOR])
    assert error(r) == "valor_invalido"
    r = cliente.get("/api/v1/srve/solicitudes?orden=x", headers=cabeceras[Rol.AUDITOR])
    assert error(r) == "campo_desconocido"
    assert (
        cliente.get(
            f"/api/v1/srve/solicitudes/{formar_folio('26', '0000000')}", headers=cabeceras[Rol.AUDITOR]
        ).status_code
        == 404
    )


def test_paginas_bandeja_detalle_y_dictamen(app: Flask, cliente: FlaskClient) -> None:
    datos = alta(cliente, 120)
    folio = datos["folio"]
    auditor = app.test_client()
    entrar_paginas(auditor, crear_personal(app, Rol.AUDITOR))
    html = auditor.get("/srve/bandeja?estado=en_revision").get_data(as_text=True)
    assert folio in html
    html = auditor.get(f"/srve/bandeja/{folio}").get_data(as_text=True)
    assert "Gómez" in html and "formulario-dictamen" not in html
    pagina = auditor.get(f"/srve/bandeja/{folio}").get_data(as_text=True)
    r = auditor.post(f"/srve/bandeja/{folio}/dictamen", data={"resultado": "procedente", "_csrf": csrf_de(pagina)})
    assert r.status_code == 403

    operador = crear_personal(app, Rol.OPERADOR)
    entrar_paginas(cliente, operador)
    html = cliente.get(f"/srve/bandeja/{folio}").get_data(as_text=True)
    assert "formulario-dictamen" in html
    url = f"/srve/bandeja/{folio}/dictamen"
    r = cliente.post(url, data={"resultado": "procedente"})
    assert r.status_code == 400 and "csrf_invalido" in r.get_data(as_text=True)
    r = enviar_formulario(
        cliente,
        url,
        {"resultado": "requiere_subsanar", "motivo": "", "observaciones": ""},
        url_get=f"/srve/bandeja/{folio}",
    )
    assert r.status_code == 400 and "campos_a_subsanar_invalidos" in r.get_data(as_text=True)
    r = enviar_formulario(
        cliente,
        url,
        {
            "resultado": "requiere_subsanar",
            "motivo": "",
            "campos": ["correo", "codigo_postal"],
            "observaciones": "Revise ambos.",
        },
        url_get=f"/srve/bandeja/{folio}",
    )
    assert r.status_code == 302
    s = fila(app, folio)
    assert s.estado == "requiere_subsanar" and s.campos_a_subsanar == ["codigo_postal", "correo"]
    assert s.historial[-1].canal == "web"
    assert cliente.get("/srve/bandeja?estado=nada").status_code == 400
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        consultas = bd.scalar(
            select(func.count()).select_from(EntradaBitacora).where(EntradaBitacora.accion == "consultar_solicitud")
        )
        assert consultas >= 3


def test_subsanar_por_pagina(app: Flask, cliente: FlaskClient) -> None:
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    datos = alta(cliente, 130)
    dictaminar(
        cliente,
        cab,
        datos["folio"],
        resultado="requiere_subsanar",
        campos=["correo", "pais"],
        observaciones="Confirme su correo y país.",
    )
    base = {"folio": datos["folio"], "correo": "persona130@example.com"}
    r = enviar_formulario(cliente, "/srve/seguimiento", base)
    html = r.get_data(as_text=True)
    assert "formulario-subsanar" in html and 'name="nuevo_correo"' in html and 'name="nuevo_pais"' in html
    assert 'name="nuevo_nombres"' not in html
    r = cliente.post(
        "/srve/subsanar",
        data={
            **base,
            "nuevo_correo": "nuevo130@example.com",
            "nuevo_pais": "CA",
            "nuevo_nombres": "X",
            "_csrf": csrf_de(html),
        },
    )
    assert r.status_code == 400 and "campo_no_senalado" in r.get_data(as_text=True)
    r = cliente.post(
        "/srve/subsanar",
        data={**base, "nuevo_correo": "nuevo130@example.com", "nuevo_pais": "CA", "_csrf": csrf_de(html)},
    )
    assert r.status_code == 200 and "En revisión" in r.get_data(as_text=True)
    s = fila(app, datos["folio"])
    assert (s.correo, s.pais, s.estado) == ("nuevo130@example.com", "CA", "en_revision")
    assert seguimiento(cliente, datos["folio"], "nuevo130@example.com")["estado"] == "en_revision"


def test_historial_es_de_solo_anexar(app: Flask, cliente: FlaskClient) -> None:
    alta(cliente, 140)
    with pytest.raises(Exception), transaccion(app.extensions["vmre"]["fabrica"]) as bd:  # noqa: B017
        e = bd.scalars(select(EventoSolicitud)).first()
        assert e is not None
        e.nota = "alterada"


@pytest.mark.parametrize(
    ("cambios", "codigo"),
    [
        ({}, "solicitud_duplicada"),
        ({"clave_elector": solicitud(151)["clave_elector"]}, "correo_en_uso"),
        ({"clave_elector": solicitud(151)["clave_elector"], "correo": "otra151@example.com"}, "telefono_en_uso"),
    ],
)
def test_indices_unicos_parciales_responden_el_mismo_codigo(
    app: Flask, cliente: FlaskClient, monkeypatch: pytest.MonkeyPatch, cambios: dict[str, str], codigo: str
) -> None:
    """(15.27): aunque la comprobación previa no viera la otra fila (carrera), la base la rechaza."""
    from servidor_referencia.dominio import solicitudes

    alta(cliente, 150)
    monkeypatch.setattr(solicitudes, "_comprobar_unicidad", lambda *a, **k: None)
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(150, **cambios))
    assert r.status_code == 409 and error(r) == codigo, r.get_json()
    assert contar(app) == 1
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        assert bd.scalar(select(func.count()).select_from(MensajeSaliente)) == 1


def test_bandeja_aplica_los_plazos_vencidos(app: Flask, cliente: FlaskClient) -> None:
    """(15.34): listar la bandeja vence las solicitudes cuyo plazo ya se cumplió."""
    cab = sesion_api(cliente, crear_personal(app, Rol.OPERADOR))
    vencida, vigente = alta(cliente, 160), alta(cliente, 161)
    for d in (vencida, vigente):
        dictaminar(cliente, cab, d["folio"], resultado="requiere_subsanar", campos=["region"], observaciones="x")
    with transaccion(app.extensions["vmre"]["fabrica"]) as bd:
        s = bd.scalars(select(Solicitud).where(Solicitud.folio == vencida["folio"])).one()
        s.plazo_subsanar = ahora() - timedelta(seconds=1)
    r = cliente.get("/api/v1/srve/solicitudes?estado=plazo_vencido", headers=cab).get_json()
    assert [x["folio"] for x in r["solicitudes"]] == [vencida["folio"]]
    assert fila(app, vigente["folio"]).estado == "requiere_subsanar"
    assert cliente.get("/srve/solicitud/recibida").status_code == 302  # sin folio en la sesión
